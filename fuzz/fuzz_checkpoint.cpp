// C2SP checkpoints and cosignature/v1 lines. A checkpoint body that parses formats back to the same
// bytes (the format has one encoding); open_checkpoint and verify_cosignature with fixed keys accept
// nothing they did not sign, whatever the note holds.
#include "fuzz_common.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/note.hpp"

namespace {

cocoon::tlog::NoteVerifier fixed(std::string name, std::uint8_t alg, std::uint8_t seed) {
  cocoon::crypto::Ed25519PublicKey key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * seed + 3);
  return cocoon::tlog::make_verifier(std::move(name), alg, key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace t = cocoon::tlog;
  static const t::NoteVerifier log_key = fixed("example.org/fuzz-log", t::kAlgEd25519, 5);
  static const t::NoteVerifier witness = fixed("example.org/fuzz-witness", t::kAlgCosignatureV1, 11);
  std::string_view in = cocoon::fuzz::text(data, size);
  if (auto c = t::parse_checkpoint_body(in)) {
    FUZZ_CHECK(!c->origin.empty());
    std::string body = t::format_checkpoint_body(*c);
    FUZZ_CHECK(body == in);
    auto again = t::parse_checkpoint_body(body);
    FUZZ_CHECK(again && again->size == c->size && again->root == c->root &&
               again->extensions == c->extensions);
  }
  FUZZ_CHECK(!t::open_checkpoint(in, log_key));
  if (auto note = t::parse_note(in)) {
    auto cosigned = t::verify_cosignature(*note, witness);
    FUZZ_CHECK(!cosigned);
  }
  return 0;
}
