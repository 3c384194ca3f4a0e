// The release-candidate and rebuild-verdict log entries (lib/rebuild), as anyone may add them to the
// log. Properties: a payload that parses is canonical, so serialising what was parsed gives the same
// bytes and parses again; an entry that opens under the harness's key still opens after its envelope
// is re-serialised and after its value is signed again. Seeds (make-seeds.py) are signed with the key
// whose seed is sha256("rebuild"), so the opening paths are reached.
#include "attest/dsse.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "fuzz_common.hpp"
#include "rebuild/entries.hpp"

namespace {

namespace r = cocoon::rebuild;

const cocoon::crypto::SecretKey& harness_key() {
  static const cocoon::crypto::SecretKey key = [] {
    cocoon::crypto::SecretKey k;
    k.name = "rebuild";
    auto pair = cocoon::crypto::ed25519_from_seed(cocoon::crypto::sha256(std::string_view("rebuild")));
    FUZZ_CHECK(pair.ok());
    k.pair.seed = pair->seed;
    k.pair.public_key = pair->public_key;
    return k;
  }();
  return key;
}

// The entry's envelope written again in canonical form, or empty when it does not parse.
cocoon::Bytes reserialised(cocoon::ByteView entry) {
  auto doc = cocoon::parse_json(cocoon::to_string(entry));
  if (!doc) return {};
  auto env = cocoon::attest::parse_dsse_envelope(*doc);
  if (!env) return {};
  auto text = cocoon::canonical_json(cocoon::attest::dsse_envelope_json(*env));
  return text ? cocoon::to_bytes(*text) : cocoon::Bytes{};
}

template <typename Open, typename Sign, typename Payload>
void check_entry(cocoon::ByteView entry, Open open, Sign sign, Payload payload) {
  const std::vector<cocoon::crypto::PublicKey> trusted{harness_key().public_key()};
  auto opened = open(entry, trusted);
  if (!opened) return;
  FUZZ_CHECK(opened->signer.keyid == trusted[0].keyid);
  const cocoon::Bytes bytes = payload(opened->value);
  cocoon::Bytes again = reserialised(entry);
  FUZZ_CHECK(!again.empty());
  if (again.size() <= 65535) {
    auto reopened = open(again, trusted);
    FUZZ_CHECK(reopened);
    FUZZ_CHECK(payload(reopened->value) == bytes);
  }
  auto resigned = sign(opened->value, harness_key());
  if (resigned) {
    auto reopened = open(*resigned, trusted);
    FUZZ_CHECK(reopened);
    FUZZ_CHECK(payload(reopened->value) == bytes);
  } else {
    // Only the size limit may refuse what opened: the re-signed envelope names the key id.
    FUZZ_CHECK(resigned.error().code == cocoon::Errc::invalid_input);
    FUZZ_CHECK(resigned.error().message.find("entry limit") != std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FUZZ_CHECK(cocoon::crypto::init_sodium());
  const cocoon::ByteView input = cocoon::fuzz::bytes(data, size);

  if (auto c = r::parse_candidate_payload(input)) {
    const cocoon::Bytes written = r::candidate_payload(*c);
    FUZZ_CHECK(written == cocoon::Bytes(input.begin(), input.end()));
    auto again = r::parse_candidate_payload(written);
    FUZZ_CHECK(again);
    FUZZ_CHECK(r::candidate_payload(*again) == written);
  }
  if (auto v = r::parse_verdict_payload(input)) {
    const cocoon::Bytes written = r::verdict_payload(*v);
    FUZZ_CHECK(written == cocoon::Bytes(input.begin(), input.end()));
    auto again = r::parse_verdict_payload(written);
    FUZZ_CHECK(again);
    FUZZ_CHECK(r::verdict_payload(*again) == written);
  }

  const r::EntryType type = r::entry_type(input);
  check_entry(input, r::open_candidate, r::sign_candidate, r::candidate_payload);
  check_entry(input, r::open_verdict, r::sign_verdict, r::verdict_payload);
  // What opens is of the type entry_type reports.
  const std::vector<cocoon::crypto::PublicKey> trusted{harness_key().public_key()};
  if (r::open_candidate(input, trusted)) FUZZ_CHECK(type == r::EntryType::candidate);
  if (r::open_verdict(input, trusted)) FUZZ_CHECK(type == r::EntryType::verdict);
  return 0;
}
