#include "measure/verify.hpp"

#include <algorithm>

namespace cocoon::measure {
namespace {

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "measurement: " + what);
}

const char* kCandidateKeys[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};

Result<Candidate> candidate_from_json(const Json& j, const char* reg) {
  if (!j.is_object() || !j.contains("label") || !j["label"].is_string() || !j.contains("value") ||
      !j["value"].is_string())
    return bad(std::string("a ") + reg + " candidate lacks label or value");
  Candidate c;
  c.label = j["label"].get<std::string>();
  COCOON_ASSIGN(c.value,
                register_from_hex(j["value"].get<std::string>(), std::string(reg) + " candidate value"));
  if (j.contains("events")) {
    COCOON_ASSIGN(c.events, events_from_json(j["events"]));
    if (!c.events.empty() && replay(c.events) != c.value)
      return bad(std::string(reg) + " candidate '" + c.label + "': its events do not replay to its value");
  }
  if (j.contains("role") && j["role"].is_string()) c.role = j["role"].get<std::string>();
  if (j.contains("host_profile") && j["host_profile"].is_string())
    c.host_profile = j["host_profile"].get<std::string>();
  return c;
}

RegisterCheck check_register(const std::string& name, const Register& actual,
                             const std::vector<Candidate>& cands) {
  RegisterCheck c;
  c.name = name;
  c.actual = to_hex(actual);
  for (const auto& cand : cands)
    if (cand.value == actual) c.matched.push_back(cand.label);
  if (!c.matched.empty()) {
    c.verdict = Verdict::match;
  } else {
    c.verdict = Verdict::mismatch;
    for (const auto& cand : cands) c.expected.emplace_back(cand.label, to_hex(cand.value));
  }
  return c;
}

std::vector<Candidate> fixed_candidates(const MeasurementCandidates& m, const Register HostProfile::*field,
                                        const std::optional<std::string>& profile) {
  std::vector<Candidate> out;
  out.push_back(Candidate{"zero (the launcher sets none)", zero_register(), {}, {}, {}});
  for (const auto& p : m.host_profiles)
    if ((!profile || p.name == *profile) && p.*field != zero_register())
      out.push_back(Candidate{"host profile " + p.name, p.*field, {}, {}, p.name});
  return out;
}

std::set<std::string> roles_of(const RegisterCheck& check, const std::vector<Candidate>& cands) {
  std::set<std::string> roles;
  for (const auto& c : cands)
    if (std::find(check.matched.begin(), check.matched.end(), c.label) != check.matched.end())
      roles.insert(c.role);
  return roles;
}

Json event_json_or_null(const std::optional<Event>& e) {
  return e ? event_to_json(*e) : Json(nullptr);
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::match:
      return "MATCH";
    case Verdict::mismatch:
      return "MISMATCH";
    case Verdict::unverified:
      return "UNVERIFIED";
  }
  return "?";
}

Result<MeasurementCandidates> load_candidates(const Json& m) {
  if (!m.is_object() || !m.contains("schema") || m["schema"] != "cocoon-measurement/v1")
    return bad("schema is not cocoon-measurement/v1");
  if (!m.contains("candidates") || !m["candidates"].is_object()) return bad("no candidates");
  MeasurementCandidates out;
  for (size_t i = 0; i < 5; ++i) {
    const char* key = kCandidateKeys[i];
    if (!m["candidates"].contains(key)) continue;
    if (!m["candidates"][key].is_array()) return bad(std::string("candidates.") + key + " is not an array");
    for (const auto& j : m["candidates"][key]) {
      COCOON_ASSIGN(Candidate c, candidate_from_json(j, key));
      out.by_register[i].push_back(std::move(c));
    }
  }
  if (m.contains("host_profiles")) {
    if (!m["host_profiles"].is_array()) return bad("host_profiles is not an array");
    for (const auto& pj : m["host_profiles"]) {
      if (!pj.is_object()) return bad("host_profiles holds an entry that is not an object");
      Json copy = pj;
      copy["schema"] = "cocoon-host-profile/v1";
      copy.erase("results");
      COCOON_ASSIGN(HostProfile p, host_profile_from_json(copy));
      out.host_profiles.push_back(std::move(p));
    }
  }
  if (m.contains("image_hashes"))
    for (const auto& h : m["image_hashes"])
      if (h.is_object() && h.contains("image_hash") && h["image_hash"].is_string())
        out.image_hashes.insert(h["image_hash"].get<std::string>());
  return out;
}

bool QuoteReport::ok() const {
  if (debug_td) return false;
  for (const auto& c : checks)
    if (c.verdict == Verdict::mismatch) return false;
  return true;
}

Result<QuoteReport> verify_quote(const TdQuote& q, const MeasurementCandidates& m,
                                 const std::optional<std::string>& host_profile) {
  if (host_profile) {
    bool found = false;
    for (const auto& p : m.host_profiles) found = found || p.name == *host_profile;
    if (!found)
      return make_error(Errc::not_found, "measurement has no host profile named '" + *host_profile + "'");
  }
  QuoteReport r;
  r.debug_td = q.debug();
  const auto& regs = q.registers;
  r.checks.push_back(check_register("MRTD", regs.mrtd, m.by_register[0]));
  r.checks.push_back(check_register("MRCONFIGID", regs.mrconfigid,
                                    fixed_candidates(m, &HostProfile::mrconfigid, host_profile)));
  r.checks.push_back(
      check_register("MROWNER", regs.mrowner, fixed_candidates(m, &HostProfile::mrowner, host_profile)));
  r.checks.push_back(check_register("MROWNERCONFIG", regs.mrownerconfig,
                                    fixed_candidates(m, &HostProfile::mrownerconfig, host_profile)));
  std::vector<Candidate> rtmr0;
  for (const auto& c : m.by_register[1])
    if (!host_profile || c.host_profile == *host_profile) rtmr0.push_back(c);
  if (rtmr0.empty()) {
    RegisterCheck c;
    c.name = "RTMR0";
    c.actual = to_hex(regs.rtmr[0]);
    c.verdict = Verdict::unverified;
    c.note = "unverified: host-dependent (no host profile recorded in the measurement)";
    r.checks.push_back(std::move(c));
  } else {
    r.checks.push_back(check_register("RTMR0", regs.rtmr[0], rtmr0));
  }
  for (size_t i = 1; i < 4; ++i)
    r.checks.push_back(check_register("RTMR" + std::to_string(i), regs.rtmr[i], m.by_register[i + 1]));
  // RTMR2 (command line) and RTMR3 (spec) must name one role together.
  const auto& c2 = r.checks[r.checks.size() - 2];
  const auto& c3 = r.checks[r.checks.size() - 1];
  if (c2.verdict == Verdict::match && c3.verdict == Verdict::match) {
    auto roles2 = roles_of(c2, m.by_register[3]);
    auto roles3 = roles_of(c3, m.by_register[4]);
    std::vector<std::string> common;
    std::set_intersection(roles2.begin(), roles2.end(), roles3.begin(), roles3.end(),
                          std::back_inserter(common));
    RegisterCheck role;
    role.name = "ROLE";
    if (common.empty()) {
      role.verdict = Verdict::mismatch;
      role.note = "RTMR2 and RTMR3 match different roles";
    } else {
      role.verdict = Verdict::match;
      role.matched = common;
    }
    r.checks.push_back(std::move(role));
  }
  r.image_hash = image_hash_hex(regs);
  r.image_hash_listed = m.image_hashes.count(r.image_hash) > 0;
  return r;
}

Json quote_report_to_json(const QuoteReport& r) {
  Json checks = Json::array();
  for (const auto& c : r.checks) {
    Json j{{"register", c.name},
           {"verdict", verdict_name(c.verdict)},
           {"actual", c.actual},
           {"matched", c.matched}};
    if (!c.expected.empty()) {
      j["expected"] = Json::array();
      for (const auto& [label, value] : c.expected)
        j["expected"].push_back(Json{{"label", label}, {"value", value}});
    }
    if (!c.note.empty()) j["note"] = c.note;
    checks.push_back(std::move(j));
  }
  return Json{
      {"debug_td", r.debug_td},
      {"checks", checks},
      {"image_hash", r.image_hash},
      {"image_hash_listed", r.image_hash_listed},
      {"ok", r.ok()},
      {"signature_checked", false},
      {"note",
       "the quote's signature and collateral are not checked here; use Intel DCAP quote verification"}};
}

bool EventLogReport::ok() const {
  for (const auto& r : registers)
    if (r.verdict == Verdict::mismatch) return false;
  return true;
}

EventLogReport verify_eventlog(const EventLog& log, const MeasurementCandidates& m) {
  EventLogReport rep;
  auto per = events_by_rtmr(log.events);
  for (size_t i = 0; i < 4; ++i) {
    RegisterReplay& rr = rep.registers[i];
    rr.name = "RTMR" + std::to_string(i);
    rr.replayed = replay(per[i]);
    rr.event_count = per[i].size();
    const auto& cands = m.by_register[i + 1];
    // A plain-text RTMR3 log says nothing about RTMR0..2.
    if (log.plain_text_rtmr3 && i != 3) continue;
    if (cands.empty()) continue;  // unverified: nothing to compare with (RTMR0 without host profiles)
    for (const auto& c : cands)
      if (c.value == rr.replayed) {
        rr.verdict = Verdict::match;
        rr.matched = c.label;
      }
    if (rr.verdict == Verdict::match) continue;
    rr.verdict = Verdict::mismatch;
    // The candidate that agrees longest with the log explains the difference best.
    size_t best_prefix = 0;
    const Candidate* best = nullptr;
    for (const auto& c : cands) {
      size_t k = 0;
      while (k < c.events.size() && k < per[i].size() && c.events[k].digest == per[i][k].digest) ++k;
      if (!best || k > best_prefix) best = &c, best_prefix = k;
    }
    Divergence d;
    d.candidate = best->label;
    d.index = static_cast<std::uint32_t>(best_prefix);
    if (best_prefix < best->events.size()) d.expected = best->events[best_prefix];
    if (best_prefix < per[i].size()) d.actual = per[i][best_prefix];
    rr.divergence = std::move(d);
  }
  return rep;
}

Json eventlog_report_to_json(const EventLogReport& r) {
  Json regs = Json::array();
  for (const auto& rr : r.registers) {
    Json j{{"register", rr.name},
           {"replayed", to_hex(rr.replayed)},
           {"events", rr.event_count},
           {"verdict", verdict_name(rr.verdict)}};
    if (!rr.matched.empty()) j["matched"] = rr.matched;
    if (rr.divergence) {
      j["first_divergence"] = Json{{"closest_candidate", rr.divergence->candidate},
                                   {"index", rr.divergence->index},
                                   {"expected", event_json_or_null(rr.divergence->expected)},
                                   {"actual", event_json_or_null(rr.divergence->actual)}};
    }
    regs.push_back(std::move(j));
  }
  return Json{{"registers", regs}, {"ok", r.ok()}};
}

HostProfile host_profile_from_log(const EventLog& log, std::string name, std::string qemu_version,
                                  std::uint64_t memory_bytes, std::uint32_t vcpus,
                                  std::vector<std::string> devices) {
  HostProfile p;
  p.name = std::move(name);
  p.qemu_version = std::move(qemu_version);
  p.memory_bytes = memory_bytes;
  p.vcpus = vcpus;
  p.devices = std::move(devices);
  p.rtmr0_events = events_by_rtmr(log.events)[0];
  p.rtmr0 = replay(p.rtmr0_events);
  return p;
}

}  // namespace cocoon::measure
