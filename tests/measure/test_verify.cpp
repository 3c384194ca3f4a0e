// cocoon-verify's checks as library calls: synthetic quotes (v4 and v5 layouts) against a measurement,
// and CC event logs written here from the predicted events.
#include <catch2/catch.hpp>
#include <cstring>

#include "crypto/hash.hpp"
#include "measure/eventlog.hpp"
#include "measure/verify.hpp"
#include "support.hpp"

using namespace cocoon;
using namespace cocoon::measure;

namespace {

void put(Bytes& b, size_t off, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
using measure_test::body_from;
using measure_test::quote_v4;
using measure_test::write_ccel;

Bytes quote_v5(const RegisterSet& r, std::uint16_t body_type) {
  size_t body_size = body_type == 3 ? kTdReportBody15Size : kTdReportBody10Size;
  Bytes q(kQuoteHeaderSize + 6, 0);
  put(q, 0, 5, 2);
  put(q, 4, kTeeTypeTdx, 4);
  put(q, kQuoteHeaderSize, body_type, 2);
  put(q, kQuoteHeaderSize + 2, body_size, 4);
  Bytes body = body_from(r, 0, body_size);
  q.insert(q.end(), body.begin(), body.end());
  Bytes len(4);
  put(len, 0, 16, 4);
  q.insert(q.end(), len.begin(), len.end());
  q.resize(q.size() + 16, 0x33);
  return q;
}

struct Fixture {
  measure_test::SyntheticImage img = measure_test::synthetic_image();
  Json doc;
  MeasurementCandidates cands;
  RegisterSet worker;  // the "lab" profile's worker registers, OVMF >= 202411
  std::string worker_hash;
  Fixture() {
    auto m = compute_measurement(img.inputs);
    REQUIRE(m.ok());
    doc = *m;
    auto c = load_candidates(doc);
    REQUIRE(c.ok());
    cands = *c;
    for (const auto& res : doc["host_profiles"][0]["results"])
      if (res["role"] == "worker" && res["ovmf_layout"] == "ovmf_ge_202411") {
        auto reg = [&](const char* k) {
          return *register_from_hex(res["registers"][k].get<std::string>(), k);
        };
        worker.mrtd = reg("mrtd");
        worker.rtmr = {reg("rtmr0"), reg("rtmr1"), reg("rtmr2"), reg("rtmr3")};
        worker_hash = res["image_hash"].get<std::string>();
      }
    REQUIRE(!worker_hash.empty());
  }
};

const RegisterCheck* find_check(const QuoteReport& r, const std::string& name) {
  for (const auto& c : r.checks)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("quote: a genuine worker quote matches every register and its image hash is listed") {
  Fixture f;
  auto q = parse_quote(quote_v4(f.worker));
  REQUIRE(q.ok());
  auto rep = verify_quote(*q, f.cands, std::nullopt);
  REQUIRE(rep.ok());
  CHECK(rep->ok());
  for (const auto& c : rep->checks) CHECK(c.verdict == Verdict::match);
  CHECK(rep->image_hash == f.worker_hash);
  CHECK(rep->image_hash_listed);
  CHECK(find_check(*rep, "RTMR2")->matched == std::vector<std::string>{"role worker"});
  CHECK(find_check(*rep, "RTMR1")
            ->matched.at(0)
            .find("qemu_le_10_1_patched_header memory_4294967296 ovmf_ge_202411") == 0);
  CHECK(find_check(*rep, "ROLE")->matched == std::vector<std::string>{"worker"});
  auto named = verify_quote(*q, f.cands, std::string("lab"));
  REQUIRE(named.ok());
  CHECK(named->ok());
  auto unknown = verify_quote(*q, f.cands, std::string("nope"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == Errc::not_found);
}

TEST_CASE("quote: each single-register change is named as the one mismatch") {
  Fixture f;
  const char* names[] = {"MRTD",  "MRCONFIGID", "MROWNER", "MROWNERCONFIG",
                         "RTMR0", "RTMR1",      "RTMR2",   "RTMR3"};
  for (int i = 0; i < 8; ++i) {
    RegisterSet r = f.worker;
    Register* regs[] = {&r.mrtd,    &r.mrconfigid, &r.mrowner, &r.mrownerconfig,
                        &r.rtmr[0], &r.rtmr[1],    &r.rtmr[2], &r.rtmr[3]};
    (*regs[i])[7] ^= 0x40;
    auto q = parse_quote(quote_v4(r));
    REQUIRE(q.ok());
    auto rep = verify_quote(*q, f.cands, std::nullopt);
    REQUIRE(rep.ok());
    INFO(names[i]);
    CHECK_FALSE(rep->ok());
    CHECK_FALSE(rep->image_hash_listed);
    for (const auto& c : rep->checks) {
      if (c.name == "ROLE") continue;
      CHECK((c.verdict == Verdict::mismatch) == (c.name == names[i]));
      if (c.name == names[i]) {
        CHECK(c.actual == to_hex(*regs[i]));
        CHECK_FALSE(c.expected.empty());
      }
    }
  }
}

TEST_CASE("quote: RTMR2 of one role with RTMR3 of another is a mismatch") {
  Fixture f;
  RegisterSet r = f.worker;
  r.rtmr[3] = *register_from_hex(f.doc["candidates"]["rtmr3"][1]["value"].get<std::string>(), "proxy rtmr3");
  auto rep = verify_quote(*parse_quote(quote_v4(r)), f.cands, std::nullopt);
  REQUIRE(rep.ok());
  CHECK_FALSE(rep->ok());
  CHECK(find_check(*rep, "ROLE")->verdict == Verdict::mismatch);
}

TEST_CASE("quote: DEBUG TDs are refused") {
  Fixture f;
  auto q = parse_quote(quote_v4(f.worker, 0x1));
  REQUIRE(q.ok());
  CHECK(q->debug());
  auto rep = verify_quote(*q, f.cands, std::nullopt);
  REQUIRE(rep.ok());
  CHECK(rep->debug_td);
  CHECK_FALSE(rep->ok());
}

TEST_CASE("quote: truncated, oversized and foreign quotes are refused") {
  Fixture f;
  Bytes good = quote_v4(f.worker);
  for (size_t cut : {size_t{0}, size_t{10}, size_t{48}, size_t{600}, size_t{632}, good.size() - 1}) {
    INFO("length " << cut);
    auto r = parse_quote(ByteView(good.data(), cut));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
  }
  Bytes trailing = good;
  trailing.push_back(0);
  auto t = parse_quote(trailing);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error().message.find("after the signature") != std::string::npos);
  Bytes huge_sig = good;
  put(huge_sig, kQuoteHeaderSize + kTdReportBody10Size, 0xffffffffu, 4);
  CHECK_FALSE(parse_quote(huge_sig).ok());
  CHECK_FALSE(parse_quote(Bytes(kMaxQuoteSize + 1, 0)).ok());
  Bytes sgx = good;
  put(sgx, 4, 0, 4);
  CHECK_FALSE(parse_quote(sgx).ok());
  Bytes v3 = good;
  put(v3, 0, 3, 2);
  CHECK_FALSE(parse_quote(v3).ok());
}

TEST_CASE("quote: v5 with TD 1.0 and TD 1.5 bodies") {
  Fixture f;
  for (std::uint16_t type : {std::uint16_t{2}, std::uint16_t{3}}) {
    auto q = parse_quote(quote_v5(f.worker, type));
    REQUIRE(q.ok());
    CHECK(q->registers.rtmr[2] == f.worker.rtmr[2]);
    auto rep = verify_quote(*q, f.cands, std::nullopt);
    REQUIRE(rep.ok());
    CHECK(rep->ok());
  }
  Bytes wrong = quote_v5(f.worker, 3);
  put(wrong, kQuoteHeaderSize + 2, kTdReportBody10Size, 4);  // body size does not match its type
  CHECK_FALSE(parse_quote(wrong).ok());
}

// --- event logs ---

namespace {

std::vector<Event> predicted_worker_events(const Fixture& f) {
  std::vector<Event> all;
  auto events_of = [&](const Json& cand) { return *events_from_json(cand["events"]); };
  auto add = [&](const std::vector<Event>& ev) { all.insert(all.end(), ev.begin(), ev.end()); };
  add(f.img.inputs.host_profiles[0].rtmr0_events);
  for (const auto& c : f.doc["candidates"]["rtmr1"])
    if (c["label"] == "qemu_le_10_1_patched_header memory_4294967296 ovmf_ge_202411") add(events_of(c));
  add(events_of(f.doc["candidates"]["rtmr2"][0]));
  add(events_of(f.doc["candidates"]["rtmr3"][0]));
  return all;
}

}  // namespace

TEST_CASE("eventlog: a log of the predicted events replays to the predicted registers") {
  Fixture f;
  auto events = predicted_worker_events(f);
  for (bool both : {false, true}) {
    auto log = parse_event_log(write_ccel(events, both));
    REQUIRE(log.ok());
    CHECK(log->events.size() == events.size());
    auto rep = verify_eventlog(*log, f.cands);
    CHECK(rep.ok());
    for (size_t i = 0; i < 4; ++i) {
      CHECK(rep.registers[i].verdict == Verdict::match);
      CHECK(rep.registers[i].replayed == f.worker.rtmr[i]);
    }
  }
}

TEST_CASE("eventlog: one changed event is named as the first divergence") {
  Fixture f;
  auto events = predicted_worker_events(f);
  size_t rtmr0_count = f.img.inputs.host_profiles[0].rtmr0_events.size();
  Event& changed = events[rtmr0_count + 2];  // RTMR1's separator (index 2)
  REQUIRE(changed.reg == RegisterId::rtmr1);
  Bytes expected_digest = changed.digest;
  changed.digest = crypto::sha384(as_bytes(std::string("something else")));
  auto log = parse_event_log(write_ccel(events));
  REQUIRE(log.ok());
  auto rep = verify_eventlog(*log, f.cands);
  CHECK_FALSE(rep.ok());
  CHECK(rep.registers[0].verdict == Verdict::match);
  CHECK(rep.registers[2].verdict == Verdict::match);
  CHECK(rep.registers[3].verdict == Verdict::match);
  const auto& r1 = rep.registers[1];
  REQUIRE(r1.verdict == Verdict::mismatch);
  REQUIRE(r1.divergence);
  CHECK(r1.divergence->index == 2);
  REQUIRE(r1.divergence->expected);
  CHECK(r1.divergence->expected->digest == expected_digest);
  CHECK(r1.divergence->expected->description == "separator 00000000");
  REQUIRE(r1.divergence->actual);
  CHECK(r1.divergence->candidate == "qemu_le_10_1_patched_header memory_4294967296 ovmf_ge_202411");
}

TEST_CASE("eventlog: a missing trailing event is reported with nothing actual") {
  Fixture f;
  auto events = predicted_worker_events(f);
  events.pop_back();  // RTMR3 loses cocoon:tdx_inited
  auto rep = verify_eventlog(*parse_event_log(write_ccel(events)), f.cands);
  const auto& r3 = rep.registers[3];
  REQUIRE(r3.verdict == Verdict::mismatch);
  CHECK(r3.divergence->index == 1);
  CHECK(r3.divergence->expected->description == "cocoon:tdx_inited");
  CHECK_FALSE(r3.divergence->actual);
}

TEST_CASE("eventlog: plain-text RTMR3 log and recording a host profile") {
  Fixture f;
  std::string tree = f.doc["candidates"]["rtmr3"][0]["spec_tree"].get<std::string>();
  std::string text = "cocoon:spec.tree=" + tree + "\ncocoon:tdx_inited\n";
  auto log = parse_event_log(as_bytes(text));
  REQUIRE(log.ok());
  CHECK(log->plain_text_rtmr3);
  auto rep = verify_eventlog(*log, f.cands);
  CHECK(rep.ok());
  CHECK(rep.registers[3].verdict == Verdict::match);
  CHECK(rep.registers[3].matched == "role worker");

  auto ccel = parse_event_log(write_ccel(predicted_worker_events(f)));
  REQUIRE(ccel.ok());
  HostProfile p = host_profile_from_log(*ccel, "recorded", "10.1.0", 4ull << 30, 8, {"virtio-net"});
  CHECK(p.rtmr0 == f.img.inputs.host_profiles[0].rtmr0);
  auto round = host_profile_from_json(host_profile_to_json(p));
  REQUIRE(round.ok());
  CHECK(round->rtmr0 == p.rtmr0);
  CHECK(round->rtmr0_events.size() == 3);
}

TEST_CASE("eventlog: malformed logs are refused") {
  Fixture f;
  Bytes good = write_ccel(predicted_worker_events(f));
  CHECK_FALSE(parse_event_log(Bytes{}).ok());
  CHECK_FALSE(parse_event_log(Bytes(good.begin(), good.begin() + 40)).ok());
  Bytes truncated(good.begin(), good.end() - 256 - 10);
  CHECK_FALSE(parse_event_log(truncated).ok());
  Bytes no_spec = good;
  no_spec[32] = 'X';
  CHECK_FALSE(parse_event_log(no_spec).ok());
  Bytes binary_junk{0x01, 0x02, 0x03};
  CHECK_FALSE(parse_event_log(binary_junk).ok());
  CHECK_FALSE(parse_event_log(as_bytes(std::string("cocoon:x\x01y\n"))).ok());
}
