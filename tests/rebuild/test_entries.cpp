// Round trips of the two rebuild log entries, and opening them: a forged signature, a key that is not
// trusted and a payloadType swapped between the two kinds are all refused.
#include <catch2/catch.hpp>

#include "attest/dsse.hpp"
#include "rebuild/entry_envelope.hpp"
#include "rebuild_fixtures.hpp"
#include "tlog/tile.hpp"

using namespace cocoon;
using namespace cocoon::rebuild;
using namespace cocoon::rebuild::testing;

namespace {

crypto::SecretKey make_key(const std::string& name) {
  return crypto::generate_secret_key(name).value();
}

Json entry_json(const Bytes& entry) {
  return parse_json(to_string(entry)).value();
}

Bytes entry_bytes(const Json& doc) {
  return to_bytes(canonical_json(doc).value());
}

}  // namespace

TEST_CASE("rebuild: the entry size limit is the log's") {
  CHECK(detail::kMaxLogEntryBytes == tlog::kMaxEntrySize);
}

TEST_CASE("rebuild: a candidate round-trips through its canonical payload") {
  Candidate c = sample_candidate();
  Bytes payload = candidate_payload(c);
  CHECK(to_string(payload).starts_with(
      R"({"_type":"cocoon.release-candidate/v1","created":"2026-12-05T08:00:00Z",)"));
  auto parsed = parse_candidate_payload(payload);
  REQUIRE(parsed.ok());
  CHECK(parsed->labels == c.labels);
  CHECK(parsed->source_url == c.source_url);
  CHECK(parsed->recipe == c.recipe);
  CHECK(parsed->created == c.created);
  CHECK(candidate_payload(*parsed) == payload);
}

TEST_CASE("rebuild: every kind of verdict round-trips through its canonical payload") {
  Verdict v = sample_verdict(Outcome::reproduced);
  SECTION("reproduced") {}
  SECTION("mismatch") {
    v = sample_verdict(Outcome::mismatch);
  }
  SECTION("build failure, with one artifact produced and one not") {
    v = sample_verdict(Outcome::build_failure);
    v.artifacts = {{"sample-node.tar.zst", digest_of("tar"), digest_of("tar")},
                   {"sample-node", "", digest_of("bin")}};
  }
  SECTION("a candidate subject") {
    v.subject = {VerdictSubject::Kind::candidate, 40, digest_of("candidate entry"), 0};
    v.measurement = Json{{"predicted", Json{{"mrtd", "ab"}}}};
  }
  SECTION("a measurement that matches the release") {
    v.measurement =
        Json{{"predicted", Json{{"mrtd", "ab"}, {"rtmr", Json::array({"cd"})}}}, {"matches_release", true}};
  }
  SECTION("a mismatch only in the measurement") {
    v.outcome = Outcome::mismatch;
    v.first_difference = "predicted MRTD is not in the release's image hashes";
    v.measurement = Json{{"predicted", Json::object()}, {"matches_release", false}};
  }
  Bytes payload = verdict_payload(v);
  auto parsed = parse_verdict_payload(payload);
  REQUIRE(parsed.ok());
  CHECK(parsed->labels == v.labels);
  CHECK(parsed->subject.kind == v.subject.kind);
  CHECK(parsed->subject.log_index == v.subject.log_index);
  CHECK(parsed->subject.entry_sha256 == v.subject.entry_sha256);
  CHECK(parsed->subject.targets_version == v.subject.targets_version);
  CHECK(parsed->outcome == v.outcome);
  REQUIRE(parsed->artifacts.size() == v.artifacts.size());
  for (std::size_t i = 0; i < v.artifacts.size(); ++i) {
    CHECK(parsed->artifacts[i].name == v.artifacts[i].name);
    CHECK(parsed->artifacts[i].sha256 == v.artifacts[i].sha256);
    CHECK(parsed->artifacts[i].expected_sha256 == v.artifacts[i].expected_sha256);
  }
  CHECK(parsed->first_difference == v.first_difference);
  CHECK(parsed->failure == v.failure);
  CHECK(parsed->measurement == v.measurement);
  CHECK(parsed->builder == v.builder);
  CHECK(parsed->finished == v.finished);
  CHECK(verdict_payload(*parsed) == payload);
}

TEST_CASE("rebuild: outcome names") {
  CHECK(outcome_name(Outcome::reproduced) == "reproduced");
  CHECK(outcome_name(Outcome::mismatch) == "mismatch");
  CHECK(outcome_name(Outcome::build_failure) == "build-failure");
}

TEST_CASE("rebuild: signed entries open under a trusted key and name it") {
  auto maintainer = make_key("maintainer");
  auto builder = make_key("builder-a");
  std::vector<crypto::PublicKey> maintainers{make_key("other").public_key(), maintainer.public_key()};
  std::vector<crypto::PublicKey> builders{builder.public_key()};

  auto candidate_entry = sign_candidate(sample_candidate(), maintainer);
  REQUIRE(candidate_entry.ok());
  CHECK(entry_type(*candidate_entry) == EntryType::candidate);
  // The entry is the envelope's canonical JSON: one line, what the log stores byte for byte.
  CHECK(to_string(*candidate_entry) == canonical_json(entry_json(*candidate_entry)).value());
  auto candidate = open_candidate(*candidate_entry, maintainers);
  REQUIRE(candidate.ok());
  CHECK(candidate->signer.keyid == maintainer.public_key().keyid);
  CHECK(candidate->value.labels == sample_candidate().labels);

  auto verdict_entry = sign_verdict(sample_verdict(Outcome::mismatch), builder);
  REQUIRE(verdict_entry.ok());
  CHECK(entry_type(*verdict_entry) == EntryType::verdict);
  auto verdict = open_verdict(*verdict_entry, builders);
  REQUIRE(verdict.ok());
  CHECK(verdict->signer.keyid == builder.public_key().keyid);
  CHECK(verdict->value.outcome == Outcome::mismatch);

  CHECK(entry_type(as_bytes(R"({"payloadType":"application/vnd.in-toto+json"})")) == EntryType::other);
  CHECK(entry_type(as_bytes("not json")) == EntryType::other);
}

TEST_CASE("rebuild: a forged signature is refused") {
  auto maintainer = make_key("maintainer");
  std::vector<crypto::PublicKey> trusted{maintainer.public_key()};
  Json doc = entry_json(sign_candidate(sample_candidate(), maintainer).value());

  SECTION("the payload changed after signing (another commit)") {
    Candidate evil = sample_candidate();
    std::string text = to_string(evil.recipe);
    text.replace(text.find("90755cf1"), 8, "deadbeef");
    evil.recipe = to_bytes(text);
    evil.labels.source_commit.replace(0, 8, "deadbeef");
    evil.labels.recipe_sha256 = crypto::sha256_hex(ByteView(evil.recipe));
    doc["payload"] = base64_encode(candidate_payload(evil));
  }
  SECTION("the signature bytes changed") {
    Bytes sig = base64_decode(doc["signatures"][0]["sig"].get<std::string>()).value();
    sig[10] ^= 1;
    doc["signatures"][0]["sig"] = base64_encode(sig);
  }
  auto opened = open_candidate(entry_bytes(doc), trusted);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == Errc::signature);
  CHECK_THAT(opened.error().message, Catch::Contains("no signature verifies under a trusted key"));
}

TEST_CASE("rebuild: a key that is not trusted is refused") {
  auto builder = make_key("builder-a");
  auto mallory = make_key("mallory");
  auto entry = sign_verdict(sample_verdict(Outcome::reproduced), mallory).value();
  auto opened = open_verdict(entry, {builder.public_key()});
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == Errc::signature);
  CHECK_THAT(opened.error().message, Catch::Contains("1 by an untrusted key"));

  // Claiming a trusted key's id does not help.
  Json doc = entry_json(entry);
  doc["signatures"][0]["keyid"] = builder.public_key().keyid;
  auto claimed = open_verdict(entry_bytes(doc), {builder.public_key()});
  REQUIRE_FALSE(claimed.ok());
  CHECK(claimed.error().code == Errc::signature);
  // No trusted keys at all: nothing opens.
  CHECK(open_verdict(entry, {}).error().code == Errc::signature);
}

TEST_CASE("rebuild: a payloadType swapped between the two kinds is refused") {
  auto key = make_key("maintainer-and-builder");
  std::vector<crypto::PublicKey> trusted{key.public_key()};
  auto candidate_entry = sign_candidate(sample_candidate(), key).value();
  auto verdict_entry = sign_verdict(sample_verdict(Outcome::reproduced), key).value();

  SECTION("an entry opened as the other kind") {
    auto as_verdict = open_verdict(candidate_entry, trusted);
    REQUIRE_FALSE(as_verdict.ok());
    CHECK(as_verdict.error().code == Errc::invalid_input);
    CHECK_THAT(as_verdict.error().message,
               Catch::Contains("expected \"application/vnd.cocoon.rebuild-verdict.v1+json\""));
    CHECK_FALSE(open_candidate(verdict_entry, trusted).ok());
  }
  SECTION("the payloadType relabelled after signing: the signature covers it") {
    Json doc = entry_json(candidate_entry);
    doc["payloadType"] = kVerdictPayloadType;
    CHECK(entry_type(entry_bytes(doc)) == EntryType::verdict);
    auto opened = open_verdict(entry_bytes(doc), trusted);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == Errc::signature);
  }
  SECTION("a verdict payload signed under the candidate type") {
    attest::DsseEnvelope env{kCandidatePayloadType, verdict_payload(sample_verdict(Outcome::reproduced)), {}};
    attest::dsse_sign(env, key);
    auto opened = open_candidate(entry_bytes(attest::dsse_envelope_json(env)), trusted);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == Errc::invalid_input);
    CHECK_THAT(opened.error().message, Catch::Contains("\"_type\""));
  }
  SECTION("a candidate payload signed under the verdict type") {
    attest::DsseEnvelope env{kVerdictPayloadType, candidate_payload(sample_candidate()), {}};
    attest::dsse_sign(env, key);
    auto opened = open_verdict(entry_bytes(attest::dsse_envelope_json(env)), trusted);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == Errc::invalid_input);
  }
}

TEST_CASE("rebuild: an entry over the log's limit is neither signed nor opened") {
  auto key = make_key("maintainer");
  Candidate big = sample_candidate();
  // A valid recipe of about 50 kB: its base64 inside the payload's base64 is over 65535 bytes.
  Json recipe = parse_json(to_string(big.recipe)).value();
  recipe["env"]["PADDING"] = std::string(50000, 'x');
  big.recipe = to_bytes(recipe.dump());
  big.labels.recipe_sha256 = crypto::sha256_hex(ByteView(big.recipe));
  REQUIRE(parse_candidate_payload(candidate_payload(big)).ok());
  auto signed_big = sign_candidate(big, key);
  REQUIRE_FALSE(signed_big.ok());
  CHECK(signed_big.error().code == Errc::invalid_input);
  CHECK_THAT(signed_big.error().message, Catch::Contains("over the log's entry limit of 65535 bytes"));

  attest::DsseEnvelope env{kCandidatePayloadType, candidate_payload(big), {}};
  attest::dsse_sign(env, key);
  auto opened = open_candidate(entry_bytes(attest::dsse_envelope_json(env)), {key.public_key()});
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == Errc::invalid_input);
  CHECK_THAT(opened.error().message, Catch::Contains("over the log's entry limit"));
}

TEST_CASE("rebuild: signing refuses what the parser would refuse, naming the member") {
  auto key = make_key("builder-a");
  Verdict v = sample_verdict(Outcome::reproduced);
  v.artifacts[0].sha256 = digest_of("something else");
  auto st = sign_verdict(v, key);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == Errc::invalid_input);
  CHECK_THAT(st.error().message, Catch::Contains("\"reproduced\" but artifact \"sample-node.tar.zst\""));

  Verdict f = sample_verdict(Outcome::mismatch);
  f.first_difference = "line one\nline two";
  CHECK_THAT(sign_verdict(f, key).error().message, Catch::Contains("first_difference"));

  Verdict m = sample_verdict(Outcome::reproduced);
  m.measurement = Json{{"predicted", Json{{"ratio", 0.5}}}, {"matches_release", true}};
  CHECK_THAT(sign_verdict(m, key).error().message, Catch::Contains("not canonical JSON"));

  Candidate c = sample_candidate();
  c.labels.version = "9.9.9";
  CHECK_THAT(sign_candidate(c, key).error().message,
             Catch::Contains("\"version\" is \"9.9.9\" but the recipe says \"0.1.0\""));
}
