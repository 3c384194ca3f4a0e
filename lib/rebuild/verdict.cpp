// The rebuild-verdict payload (entries.hpp): its canonical JSON and its strict parser. The parser
// refuses a verdict whose outcome disagrees with its own artifact digests, so "reproduced" in the log
// always means every artifact was rebuilt bit for bit.
#include <set>

#include "core/escape.hpp"
#include "rebuild/entries.hpp"
#include "rebuild/entry_envelope.hpp"
#include "rebuild/payload_fields.hpp"

namespace cocoon::rebuild {
namespace {

constexpr std::string_view kWhat = "rebuild verdict";
constexpr const char* kVerdictType = "cocoon.rebuild-verdict/v1";
// first_difference and failure are one line for people; a diff's full report stays with the builder.
constexpr std::size_t kMaxLineBytes = 4096;

const char* kind_name(VerdictSubject::Kind kind) {
  return kind == VerdictSubject::Kind::release ? "release" : "candidate";
}

Json verdict_json(const Verdict& v) {
  Json subject{{"kind", kind_name(v.subject.kind)},
               {"log_index", v.subject.log_index},
               {"entry_sha256", v.subject.entry_sha256}};
  if (v.subject.kind == VerdictSubject::Kind::release) subject["targets_version"] = v.subject.targets_version;
  Json artifacts = Json::array();
  for (const auto& a : v.artifacts)
    artifacts.push_back(Json{{"name", a.name}, {"sha256", a.sha256}, {"expected_sha256", a.expected_sha256}});
  Json doc{{"_type", kVerdictType},
           {"product", v.labels.product},
           {"version", v.labels.version},
           {"recipe_sha256", v.labels.recipe_sha256},
           {"source_commit", v.labels.source_commit},
           {"subject", subject},
           {"verdict", outcome_name(v.outcome)},
           {"artifacts", artifacts},
           {"builder", v.builder},
           {"finished", v.finished}};
  // Members that do not apply are left out rather than written empty, so each outcome has one form.
  if (v.outcome == Outcome::mismatch) doc["first_difference"] = v.first_difference;
  if (v.outcome == Outcome::build_failure) doc["failure"] = v.failure;
  if (v.measurement) doc["measurement"] = *v.measurement;
  return doc;
}

// "" (not produced / not known) or 64 lower-case hex digits.
Result<std::string> optional_digest(const Json& obj, const std::string& where, std::string_view name) {
  COCOON_ASSIGN(std::string value, detail::string_member(obj, kWhat, name));
  if (!value.empty() && !detail::is_lower_hex(value, 64))
    return detail::invalid(kWhat, where + "." + std::string(name) + " \"" + printable(value, 80) +
                                      "\" is neither empty nor 64 lower-case hex digits");
  return value;
}

Result<VerdictSubject> subject_from_json(const Json& s) {
  using namespace detail;
  COCOON_TRY(check_members(s, kWhat, "\"subject\"", {"kind", "log_index", "entry_sha256", "targets_version"},
                           {"kind", "log_index", "entry_sha256"}));
  VerdictSubject subject;
  COCOON_ASSIGN(std::string kind, string_member(s, kWhat, "kind"));
  if (kind == "release")
    subject.kind = VerdictSubject::Kind::release;
  else if (kind == "candidate")
    subject.kind = VerdictSubject::Kind::candidate;
  else
    return invalid(kWhat,
                   "subject.kind \"" + printable(kind, 80) + "\" is neither \"release\" nor \"candidate\"");
  COCOON_ASSIGN(subject.log_index, unsigned_member(s, kWhat, "log_index"));
  COCOON_ASSIGN(subject.entry_sha256, hex_member(s, kWhat, "entry_sha256", 64));
  if (subject.kind == VerdictSubject::Kind::release) {
    COCOON_ASSIGN(subject.targets_version, unsigned_member(s, kWhat, "targets_version"));
    if (subject.targets_version == 0)
      return invalid(kWhat, "subject.targets_version is 0 (TUF versions start at 1)");
  } else if (s.contains("targets_version")) {
    return invalid(kWhat, "subject.targets_version is given for a candidate (it names a release's targets)");
  }
  return subject;
}

Result<std::optional<Json>> measurement_from_json(const Json& doc, VerdictSubject::Kind kind) {
  using namespace detail;
  auto it = doc.find("measurement");
  if (it == doc.end()) return std::optional<Json>{};
  const bool release = kind == VerdictSubject::Kind::release;
  // matches_release compares with the image hashes a published release lists; a candidate has none.
  if (release)
    COCOON_TRY(check_members(*it, kWhat, "\"measurement\"", {"predicted", "matches_release"},
                             {"predicted", "matches_release"}));
  else
    COCOON_TRY(
        check_members(*it, kWhat, "\"measurement\" of a candidate verdict", {"predicted"}, {"predicted"}));
  if (!(*it)["predicted"].is_object()) return invalid(kWhat, "measurement.predicted is not a JSON object");
  if (release && !(*it)["matches_release"].is_boolean())
    return invalid(kWhat, "measurement.matches_release is not true or false");
  return std::optional<Json>(*it);
}

// The outcome must follow from the verdict's own digests (and the measurement comparison).
Status check_outcome(const Verdict& v) {
  using detail::invalid;
  const bool measurement_differs = v.measurement && v.measurement->contains("matches_release") &&
                                   (*v.measurement)["matches_release"] == false;
  switch (v.outcome) {
    case Outcome::reproduced:
      if (v.artifacts.empty()) return invalid(kWhat, "a \"reproduced\" verdict lists no artifacts");
      for (const auto& a : v.artifacts)
        if (a.sha256.empty() || a.sha256 != a.expected_sha256)
          return invalid(kWhat, "\"reproduced\" but artifact \"" + a.name + "\" has sha256 \"" + a.sha256 +
                                    "\" where \"" + a.expected_sha256 + "\" was expected");
      if (measurement_differs)
        return invalid(kWhat, "\"reproduced\" but measurement.matches_release is false");
      return Ok{};
    case Outcome::mismatch: {
      bool differs = measurement_differs;
      for (const auto& a : v.artifacts)
        differs |= !a.expected_sha256.empty() && a.sha256 != a.expected_sha256;
      if (!differs)
        return invalid(
            kWhat,
            "\"mismatch\" but no artifact differs from its expected_sha256 and the measurement matches");
      return Ok{};
    }
    case Outcome::build_failure:
      return Ok{};
  }
  return invalid(kWhat, "unknown outcome");
}

Result<Verdict> verdict_from_json(const Json& doc) {
  using namespace detail;
  // The type first: a payload of the other kind is named as such, not by its first unknown member.
  if (!doc.is_object()) return invalid(kWhat, "the payload is not a JSON object");
  COCOON_ASSIGN(std::string type, string_member(doc, kWhat, "_type"));
  if (type != kVerdictType)
    return invalid(kWhat, "\"_type\" is \"" + printable(type, 80) + "\", expected \"" + kVerdictType + "\"");
  COCOON_TRY(
      check_members(doc, kWhat, "the payload",
                    {"_type", "product", "version", "recipe_sha256", "source_commit", "subject", "verdict",
                     "artifacts", "first_difference", "failure", "measurement", "builder", "finished"},
                    {"_type", "product", "version", "recipe_sha256", "source_commit", "subject", "verdict",
                     "artifacts", "builder", "finished"}));
  Verdict v;
  COCOON_ASSIGN(v.labels.product, name_member(doc, kWhat, "product"));
  COCOON_ASSIGN(v.labels.version, name_member(doc, kWhat, "version"));
  COCOON_ASSIGN(v.labels.recipe_sha256, hex_member(doc, kWhat, "recipe_sha256", 64));
  COCOON_ASSIGN(v.labels.source_commit, hex_member(doc, kWhat, "source_commit", 40));
  COCOON_ASSIGN(v.subject, subject_from_json(doc["subject"]));

  COCOON_ASSIGN(std::string outcome, string_member(doc, kWhat, "verdict"));
  if (outcome == "reproduced")
    v.outcome = Outcome::reproduced;
  else if (outcome == "mismatch")
    v.outcome = Outcome::mismatch;
  else if (outcome == "build-failure")
    v.outcome = Outcome::build_failure;
  else
    return invalid(kWhat, "\"verdict\" \"" + printable(outcome, 80) +
                              "\" is not \"reproduced\", \"mismatch\" or \"build-failure\"");

  const Json& artifacts = doc["artifacts"];
  if (!artifacts.is_array()) return invalid(kWhat, "\"artifacts\" is not an array");
  std::set<std::string> names;
  for (std::size_t i = 0; i < artifacts.size(); ++i) {
    const std::string where = "artifacts[" + std::to_string(i) + "]";
    const Json& a = artifacts[i];
    COCOON_TRY(check_members(a, kWhat, where, {"name", "sha256", "expected_sha256"},
                             {"name", "sha256", "expected_sha256"}));
    ArtifactResult result;
    COCOON_ASSIGN(result.name, name_member(a, kWhat, "name"));
    if (!names.insert(result.name).second)
      return invalid(kWhat, where + ": artifact \"" + result.name + "\" twice");
    COCOON_ASSIGN(result.sha256, optional_digest(a, where, "sha256"));
    COCOON_ASSIGN(result.expected_sha256, optional_digest(a, where, "expected_sha256"));
    v.artifacts.push_back(std::move(result));
  }

  // Each outcome has exactly its own explanation member.
  if (v.outcome == Outcome::mismatch) {
    COCOON_ASSIGN(v.first_difference, line_member(doc, kWhat, "first_difference", kMaxLineBytes));
  } else if (doc.contains("first_difference")) {
    return invalid(kWhat, "\"first_difference\" is given for a \"" + outcome + "\" verdict (mismatch only)");
  }
  if (v.outcome == Outcome::build_failure) {
    COCOON_ASSIGN(v.failure, line_member(doc, kWhat, "failure", kMaxLineBytes));
  } else if (doc.contains("failure")) {
    return invalid(kWhat, "\"failure\" is given for a \"" + outcome + "\" verdict (build-failure only)");
  }
  COCOON_ASSIGN(v.measurement, measurement_from_json(doc, v.subject.kind));
  COCOON_ASSIGN(v.builder, name_member(doc, kWhat, "builder"));
  COCOON_ASSIGN(v.finished, time_member(doc, kWhat, "finished"));
  COCOON_TRY(check_outcome(v));
  return v;
}

}  // namespace

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::reproduced:
      return "reproduced";
    case Outcome::mismatch:
      return "mismatch";
    case Outcome::build_failure:
      return "build-failure";
  }
  return "unknown";
}

Bytes verdict_payload(const Verdict& verdict) {
  return detail::canonical_or_compact(verdict_json(verdict));
}

Result<Verdict> parse_verdict_payload(ByteView payload) {
  COCOON_ASSIGN(Json doc, detail::parse_canonical(payload, kWhat));
  return verdict_from_json(doc);
}

Result<Bytes> sign_verdict(const Verdict& verdict, const crypto::SecretKey& key) {
  Json doc = verdict_json(verdict);
  // Never sign what our own parser would refuse; checking the document names the bad member.
  COCOON_TRY(verdict_from_json(doc));
  Bytes payload = detail::canonical_or_compact(doc);
  COCOON_TRY(parse_verdict_payload(payload));  // a float in the measurement is not canonical JSON
  return detail::sign_entry(kVerdictPayloadType, std::move(payload), key, kWhat);
}

Result<Signed<Verdict>> open_verdict(ByteView entry, const std::vector<crypto::PublicKey>& trusted) {
  COCOON_ASSIGN(auto opened, detail::open_entry(entry, kVerdictPayloadType, trusted, kWhat));
  COCOON_ASSIGN(Verdict verdict, parse_verdict_payload(opened.payload));
  return Signed<Verdict>{std::move(verdict), std::move(opened.signer)};
}

}  // namespace cocoon::rebuild
