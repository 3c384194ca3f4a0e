#pragma once
// C2SP signed-note: a UTF-8 text followed by a blank line and signature lines
// "— <key name> <base64(4-byte key hash || signature)>\n" (the dash is U+2014).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/ed25519.hpp"

namespace cocoon::tlog {

// Signature algorithm bytes of the key hash and key strings.
inline constexpr std::uint8_t kAlgEd25519 = 0x01;
inline constexpr std::uint8_t kAlgCosignatureV1 = 0x04;

// Key names: non-empty, printable, no spaces and no '+'.
bool valid_key_name(std::string_view name);
// First 4 bytes (big-endian) of SHA-256(name || "\n" || alg || public key).
std::uint32_t note_key_hash(std::string_view name, std::uint8_t alg, const crypto::Ed25519PublicKey& key);

// A public key that can check note signatures.
// Invariant: key_hash == note_key_hash(name, alg, key).
// Example: "example.org/cocoon-test-log+ea1e4dc8+AV1HiVVs...c/RV" -> {name "example.org/cocoon-test-log",
// alg 0x01, key_hash 0xea1e4dc8, key 5d478955...}.
struct NoteVerifier {
  std::string name;
  std::uint8_t alg = kAlgEd25519;
  std::uint32_t key_hash = 0;
  crypto::Ed25519PublicKey key{};
};
NoteVerifier make_verifier(std::string name, std::uint8_t alg, const crypto::Ed25519PublicKey& key);
// Refuses a bad name, a hash that does not match the key, an unknown algorithm byte, a short key.
Result<NoteVerifier> parse_verifier_key(std::string_view text);
std::string format_verifier_key(const NoteVerifier& v);

// A private key for signing notes. Same invariant as NoteVerifier; alg is always kAlgEd25519 in the
// "PRIVATE+KEY+<name>+<hash>+<base64(0x01 || seed)>" string form.
struct NoteSigner {
  std::string name;
  std::uint32_t key_hash = 0;
  crypto::Ed25519KeyPair pair;
  NoteVerifier verifier() const;
};
Result<NoteSigner> make_signer(std::string name, const crypto::Ed25519KeyPair& pair);
Result<NoteSigner> parse_signer_key(std::string_view text);
std::string format_signer_key(const NoteSigner& s);

// One signature line; `signature` is what follows the 4-byte key hash.
struct NoteSignature {
  std::string name;
  std::uint32_t key_hash = 0;
  Bytes signature;
};

// A note split into its text and its signature lines (nothing verified yet).
// Invariant: text ends with '\n', contains no '\r' nor other control characters except '\n'.
struct Note {
  std::string text;
  std::vector<NoteSignature> signatures;
};

// Splits at the last blank line. Refuses non-UTF-8 text, control characters, a missing signature block,
// malformed signature lines, more than 100 signatures.
Result<Note> parse_note(std::string_view message);
std::string format_signature_line(const NoteSignature& sig);
std::string format_note(const Note& note);

// The signature line of `signer` over `text`.
NoteSignature sign_note_text(std::string_view text, const NoteSigner& signer);

// Checks every signature from a known key (name and key hash match a verifier with alg 0x01);
// ignores signatures from unknown keys. Errors: a known key whose signature fails -> signature;
// no signature from a known key at all -> signature. Returns the verifiers that signed.
Result<std::vector<NoteVerifier>> verify_note(const Note& note, const std::vector<NoteVerifier>& known);

}  // namespace cocoon::tlog
