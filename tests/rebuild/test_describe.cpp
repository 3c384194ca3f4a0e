// The monitor's one-line descriptions of candidate and verdict entries, through tlog::describe_entry
// as cocoon-log monitor calls it.
#include <catch2/catch.hpp>

#include "attest/dsse.hpp"
#include "core/escape.hpp"
#include "rebuild/describe.hpp"
#include "rebuild_fixtures.hpp"
#include "tlog/monitor.hpp"

using namespace cocoon;
using namespace cocoon::rebuild;
using namespace cocoon::rebuild::testing;

namespace {

std::string monitor_line(const Bytes& entry) {
  return tlog::describe_entry(entry, rebuild::describe_entry);
}

Bytes unsigned_entry(const char* payload_type, const Bytes& payload) {
  attest::DsseEnvelope env{payload_type, payload, {}};
  env.signatures.push_back({"k", Bytes(64, 0)});
  return to_bytes(canonical_json(attest::dsse_envelope_json(env)).value());
}

}  // namespace

TEST_CASE("rebuild: the monitor describes candidates and verdicts in one line") {
  auto key = crypto::generate_secret_key("maintainer").value();
  const std::string recipe = sample_candidate().labels.recipe_sha256;
  CHECK(monitor_line(sign_candidate(sample_candidate(), key).value()) ==
        "candidate sample-node 0.1.0 recipe " + recipe.substr(0, 12) + "… commit 90755cf1c849…");
  CHECK(monitor_line(sign_verdict(sample_verdict(Outcome::reproduced), key).value()) ==
        "verdict reproduced sample-node 0.1.0 by builder-a for release #41");
  Verdict v = sample_verdict(Outcome::build_failure);
  v.subject = {VerdictSubject::Kind::candidate, 40, digest_of("candidate"), 0};
  CHECK(monitor_line(sign_verdict(v, key).value()) ==
        "verdict build-failure sample-node 0.1.0 by builder-a for candidate #40");
  // Other entries keep tlog's own descriptions.
  CHECK(monitor_line(to_bytes("abc")).starts_with("entry 3 bytes sha256:"));
  CHECK(rebuild::describe_entry(as_bytes(R"({"payloadType":"application/vnd.in-toto+json"})")) ==
        std::nullopt);
}

TEST_CASE("rebuild: a malformed entry of our type is described escaped, on one line") {
  // Anyone may append: a payload carrying terminal controls must not reach the screen raw.
  std::string payload = "{\"_type\":\"cocoon.release-candidate/v1\",\"product\":\"x\x1b[2J\xe2\x80\xae\"}";
  std::string line = monitor_line(unsigned_entry(kCandidatePayloadType, to_bytes(payload)));
  CHECK(line.starts_with("candidate (malformed: "));
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line == printable(line));

  std::string verdict_line = monitor_line(unsigned_entry(kVerdictPayloadType, to_bytes("not json\n")));
  CHECK(verdict_line.starts_with("verdict (malformed: "));
  CHECK(verdict_line == printable(verdict_line));
  CHECK(monitor_line(to_bytes(R"({"payloadType":"application/vnd.cocoon.rebuild-verdict.v1+json"})"))
            .starts_with("verdict (malformed: "));
}
