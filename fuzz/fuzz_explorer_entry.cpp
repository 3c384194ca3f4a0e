// Log entries as the release explorer reads them (anyone can append an entry to a log the explorer
// shows): classify_entry never fails or throws, says one of its five kinds, and what it returns
// serialises; the site data built from the entry serialises too.
#include "crypto/ed25519.hpp"
#include "explorer/site_data.hpp"
#include "fuzz_common.hpp"
#include "release/root_params.hpp"
#include "tlog/note.hpp"

namespace {

cocoon::crypto::PublicKey public_key(const char* name, std::uint8_t seed_byte) {
  auto pair = cocoon::crypto::ed25519_from_seed(cocoon::Bytes(32, seed_byte)).value();
  cocoon::crypto::SecretKey k;
  k.name = name;
  k.pair = pair;
  return k.public_key();
}

// A root with one maintainer, one online key and one builder (fixed seeds), and a policy.
const cocoon::release::Root& fuzz_root() {
  static const cocoon::release::Root root = [] {
    cocoon::release::RootParams p;
    p.maintainers = {public_key("alice", 1)};
    p.online_keys = {public_key("online", 2)};
    p.policy.builder_keys = {public_key("builder1", 3)};
    p.policy.builder_threshold = 1;
    p.policy.log_origin = "example.org/log";
    p.policy.log_verifier_key = cocoon::tlog::format_verifier_key(
        cocoon::tlog::make_verifier("example.org/log", cocoon::tlog::kAlgEd25519, public_key("log", 4).key));
    p.expires = 1893456000;
    return cocoon::release::make_root(p).value();
  }();
  return root;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& root = fuzz_root();
  auto info = cocoon::explorer::classify_entry(cocoon::fuzz::bytes(data, size), root);
  FUZZ_CHECK(info.kind == "targets" || info.kind == "attestation" || info.kind == "verdict" ||
             info.kind == "candidate" || info.kind == "other");
  FUZZ_CHECK(info.sha256.size() == 64);
  (void)cocoon::compact_json(info.summary);
  cocoon::explorer::SiteInputs in;
  in.root = root;
  in.entries.emplace_back(data, data + size);
  in.checkpoint.size = 1;
  in.log_base = "../";
  auto doc = cocoon::explorer::site_data(in);
  FUZZ_CHECK(doc);
  (void)cocoon::compact_json(*doc);
  return 0;
}
