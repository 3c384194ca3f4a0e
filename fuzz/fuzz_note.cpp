// C2SP signed notes and note keys (from a log, a witness or a mirror). A parsed note formats into a note
// that parses to the same text and signatures; verifier and signer key strings that parse format back to
// the same string; verify_note with a fixed key never accepts a note that key did not sign.
#include "crypto/ed25519.hpp"
#include "fuzz_common.hpp"
#include "tlog/note.hpp"

namespace {

const cocoon::tlog::NoteVerifier& fixed_verifier() {
  static const cocoon::tlog::NoteVerifier v = [] {
    cocoon::crypto::Ed25519PublicKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i * 7 + 1);
    return cocoon::tlog::make_verifier("example.org/fuzz-log", cocoon::tlog::kAlgEd25519, key);
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace t = cocoon::tlog;
  std::string_view in = cocoon::fuzz::text(data, size);
  if (auto note = t::parse_note(in)) {
    std::string formatted = t::format_note(*note);
    auto again = t::parse_note(formatted);
    FUZZ_CHECK(again);
    FUZZ_CHECK(again->text == note->text);
    FUZZ_CHECK(again->signatures.size() == note->signatures.size());
    for (std::size_t i = 0; i < note->signatures.size(); ++i) {
      FUZZ_CHECK(again->signatures[i].name == note->signatures[i].name);
      FUZZ_CHECK(again->signatures[i].key_hash == note->signatures[i].key_hash);
      FUZZ_CHECK(again->signatures[i].signature == note->signatures[i].signature);
    }
    FUZZ_CHECK(t::format_note(*again) == formatted);
    // Nobody holds the fixed key's secret (it is not a point anyone derived from a seed here).
    FUZZ_CHECK(!t::verify_note(*note, {fixed_verifier()}));
  }
  if (auto v = t::parse_verifier_key(in)) {
    FUZZ_CHECK(v->key_hash == t::note_key_hash(v->name, v->alg, v->key));
    auto again = t::parse_verifier_key(t::format_verifier_key(*v));
    FUZZ_CHECK(again && again->name == v->name && again->key == v->key && again->alg == v->alg);
  }
  if (auto s = t::parse_signer_key(in)) {
    auto again = t::parse_signer_key(t::format_signer_key(*s));
    FUZZ_CHECK(again && again->name == s->name && again->key_hash == s->key_hash);
  }
  return 0;
}
