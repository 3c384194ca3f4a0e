// Collecting a release's attestations from the log (what `cocoon-sign propose --attestations-log`
// does): a real log directory holding attestations by two builders, one for another version, and
// entries that are no attestation at all; the window and its cap; a log of another origin or key.
#include <catch2/catch.hpp>

#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "publish/log_attestations.hpp"
#include "release_fixtures.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_writer.hpp"

using namespace cocoon;
using namespace cocoon::release::testing;

namespace {

const attest::ReleaseLabels kLabels{"sample", "0.1.0", std::string(64, 'a'), std::string(40, 'c')};

Bytes attestation(const crypto::SecretKey& builder, const attest::ReleaseLabels& labels) {
  attest::Statement st;
  st.predicate_type = attest::kSlsaProvenanceV1;
  st.subjects = {{"hello.bin", crypto::sha256_hex(std::string_view("hello"))}};
  Json external{
      {"recipe",
       {{"name", labels.product},
        {"version", labels.version},
        {"digest", {{"sha256", labels.recipe_sha256}}}}},
      {"source",
       {{"url", "https://fixtures.cocoon-release.invalid/sample.git"}, {"commit", labels.source_commit}}}};
  st.predicate =
      Json{{"buildDefinition", {{"externalParameters", external}}},
           {"runDetails", {{"builder", {{"id", attest::builder_id_for_keyid(builder.public_key().keyid)}}}}}};
  return to_bytes(pretty_json(attest::dsse_envelope_json(attest::sign_statement(st, builder))));
}

struct LoggedWorld {
  Cast c;
  TempDir dir = TempDir::create("log-attestations-").value();
  tlog::NoteSigner signer = tlog::make_signer(c.log.name, c.log.pair).value();
  release::CocoonPolicy policy = make_policy(c);
  std::vector<Bytes> entries;

  LoggedWorld() {
    REQUIRE(tlog::LogWriter::create(dir.path() / "log", signer).ok());
    attest::ReleaseLabels older = kLabels;
    older.version = "0.0.9";
    attest::DsseEnvelope other_type{"application/vnd.cocoon.release-candidate.v1+json", to_bytes("{}"), {}};
    attest::dsse_sign(other_type, c.alice);
    entries = {to_bytes(R"({"signed":{"_type":"targets","version":3},"signatures":[]})"),  // 0: TUF metadata
               attestation(c.builder1, kLabels),                                           // 1
               to_bytes("unrelated bytes"),                                                // 2
               attestation(c.builder3, older),                                             // 3: other version
               to_bytes(compact_json(attest::dsse_envelope_json(other_type))),             // 4: other type
               attestation(c.builder2, kLabels)};                                          // 5
    auto writer = tlog::LogWriter::open(dir.path() / "log", signer);
    REQUIRE(writer.ok());
    REQUIRE(writer->append(entries).ok());
  }
  std::string log() const { return (dir.path() / "log").string(); }
};

}  // namespace

TEST_CASE("log attestations: only attestations of the release's labels are collected") {
  LoggedWorld w;
  auto got = publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 0);
  REQUIRE(got.ok());
  CHECK(got->size == 6);
  CHECK(got->scanned == 6);
  CHECK(got->other_labels == 1);
  REQUIRE(got->files.size() == 2);
  CHECK(got->files[0].source == "log entry #1");
  CHECK(got->files[0].bytes == w.entries[1]);
  CHECK(got->files[1].source == "log entry #5");
  CHECK(got->files[1].bytes == w.entries[5]);

  // From a later index only what follows it is read.
  auto later = publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 2);
  REQUIRE(later.ok());
  CHECK(later->scanned == 4);
  REQUIRE(later->files.size() == 1);
  CHECK(later->files[0].source == "log entry #5");
  auto at_end = publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 6);
  REQUIRE(at_end.ok());
  CHECK(at_end->files.empty());

  // The other version's labels find only builder3's attestation.
  attest::ReleaseLabels older = kLabels;
  older.version = "0.0.9";
  auto other = publish::attestations_from_log(w.log(), 10, w.policy, older, 0);
  REQUIRE(other.ok());
  REQUIRE(other->files.size() == 1);
  CHECK(other->files[0].source == "log entry #3");
}

TEST_CASE("log attestations: the scan is bounded and the log must be the root's") {
  LoggedWorld w;
  auto capped = publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 0, 5);
  REQUIRE_FALSE(capped.ok());
  CHECK(capped.error().code == Errc::invalid_input);
  CHECK_THAT(capped.error().message,
             Catch::Contains("6 entries from index 0, more than the 5 one collection scans"));
  CHECK_THAT(capped.error().message, Catch::Contains("--since"));
  CHECK(publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 1, 5).ok());

  auto beyond = publish::attestations_from_log(w.log(), 10, w.policy, kLabels, 7);
  REQUIRE_FALSE(beyond.ok());
  CHECK(beyond.error().code == Errc::invalid_input);

  // A root naming another log key: the checkpoint does not verify.
  release::CocoonPolicy other_key = w.policy;
  auto stranger = key("example.org/cocoon-releases", 99);
  other_key.log_verifier_key = tlog::format_verifier_key(
      tlog::make_verifier(stranger.name, tlog::kAlgEd25519, stranger.pair.public_key));
  auto wrong_key = publish::attestations_from_log(w.log(), 10, other_key, kLabels, 0);
  REQUIRE_FALSE(wrong_key.ok());
  CHECK(wrong_key.error().code == Errc::signature);

  // A served copy of the log under another name (origin) is not the root's log.
  tlog::DirFetcher fetcher(w.log());
  tlog::LogClient client(fetcher, w.signer.verifier());
  auto wrong_origin = publish::attestations_from_log(client, "example.org/other-log", kLabels, 0);
  REQUIRE_FALSE(wrong_origin.ok());
  CHECK(wrong_origin.error().code == Errc::log_inconsistent);
}
