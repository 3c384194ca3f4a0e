#include "tlog/note.hpp"

#include <cstring>

#include "crypto/hash.hpp"

namespace cocoon::tlog {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // "— "
constexpr std::size_t kMaxSignatures = 100;

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when it is invalid (overlong forms,
// surrogates and values above U+10FFFF included). `cp` receives the code point.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto b = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
  std::uint8_t c = b(0);
  std::size_t len;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool valid_note_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(s, i, cp);
    if (n == 0 || (cp < 0x20 && cp != '\n') || cp == 0x7F) return false;
    i += n;
  }
  return true;
}

bool is_space(std::uint32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

void put_u32(Bytes& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(v >> s));
}

std::uint32_t get_u32(ByteView b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

std::string hex8(std::uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

// "<name>+<hash>+<base64>": names never contain '+' and the hash is hex, so the first two '+' split
// the fields (base64 itself may contain '+').
struct KeyParts {
  std::string name;
  std::uint32_t hash = 0;
  Bytes blob;
};
Result<KeyParts> split_key(std::string_view text, const char* what) {
  auto bad = [&](const std::string& why) {
    return make_error(Errc::invalid_input, std::string(what) + " key string is malformed: " + why);
  };
  std::size_t p1 = text.find('+');
  if (p1 == std::string_view::npos) return bad("expected <name>+<hash>+<key>");
  std::size_t p2 = text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad("expected <name>+<hash>+<key>");
  KeyParts out;
  out.name = std::string(text.substr(0, p1));
  std::string_view hash_hex = text.substr(p1 + 1, p2 - p1 - 1);
  if (!valid_key_name(out.name)) return bad("invalid key name '" + out.name + "'");
  if (hash_hex.size() != 8) return bad("key hash must be 8 hex digits");
  for (char c : hash_hex)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad("key hash must be lower-case hex");
  out.hash = static_cast<std::uint32_t>(std::stoul(std::string(hash_hex), nullptr, 16));
  auto blob = base64_decode(text.substr(p2 + 1));
  if (!blob.ok()) return bad("key is not valid base64");
  out.blob = std::move(*blob);
  return out;
}

}  // namespace

bool valid_key_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size();) {
    std::uint32_t cp = 0;
    std::size_t n = utf8_sequence(name, i, cp);
    if (n == 0 || cp == '+' || is_space(cp) || cp < 0x20 || cp == 0x7F) return false;
    i += n;
  }
  return true;
}

std::uint32_t note_key_hash(std::string_view name, std::uint8_t alg, const crypto::Ed25519PublicKey& key) {
  crypto::Hasher h(crypto::HashAlg::sha256);
  h.update(name);
  h.update(std::string_view("\n"));
  h.update(ByteView(&alg, 1));
  h.update(ByteView(key.data(), key.size()));
  return get_u32(h.finish());
}

NoteVerifier make_verifier(std::string name, std::uint8_t alg, const crypto::Ed25519PublicKey& key) {
  NoteVerifier v;
  v.key_hash = note_key_hash(name, alg, key);
  v.name = std::move(name);
  v.alg = alg;
  v.key = key;
  return v;
}

Result<NoteVerifier> parse_verifier_key(std::string_view text) {
  COCOON_ASSIGN(KeyParts parts, split_key(text, "verifier"));
  if (parts.blob.size() != 33 || (parts.blob[0] != kAlgEd25519 && parts.blob[0] != kAlgCosignatureV1))
    return make_error(Errc::unsupported,
                      "verifier key is not an Ed25519 (0x01) or cosignature/v1 (0x04) key");
  crypto::Ed25519PublicKey key;
  std::memcpy(key.data(), parts.blob.data() + 1, 32);
  NoteVerifier v = make_verifier(parts.name, parts.blob[0], key);
  if (v.key_hash != parts.hash)
    return make_error(Errc::invalid_input, "verifier key hash " + hex8(parts.hash) +
                                               " does not match its key (" + hex8(v.key_hash) + ")");
  return v;
}

std::string format_verifier_key(const NoteVerifier& v) {
  Bytes blob{v.alg};
  blob.insert(blob.end(), v.key.begin(), v.key.end());
  return v.name + "+" + hex8(v.key_hash) + "+" + base64_encode(blob);
}

NoteVerifier NoteSigner::verifier() const {
  return make_verifier(name, kAlgEd25519, pair.public_key);
}

Result<NoteSigner> make_signer(std::string name, const crypto::Ed25519KeyPair& pair) {
  if (!valid_key_name(name)) return make_error(Errc::invalid_input, "invalid note key name '" + name + "'");
  NoteSigner s;
  s.key_hash = note_key_hash(name, kAlgEd25519, pair.public_key);
  s.name = std::move(name);
  s.pair = pair;
  return s;
}

Result<NoteSigner> parse_signer_key(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix))
    return make_error(Errc::invalid_input, "signer key string must start with PRIVATE+KEY+");
  COCOON_ASSIGN(KeyParts parts, split_key(text.substr(kPrefix.size()), "signer"));
  if (parts.blob.size() != 33 || parts.blob[0] != kAlgEd25519)
    return make_error(Errc::unsupported, "signer key is not an Ed25519 (0x01) key");
  COCOON_ASSIGN(auto pair, crypto::ed25519_from_seed(ByteView(parts.blob).subspan(1)));
  COCOON_ASSIGN(NoteSigner s, make_signer(parts.name, pair));
  std::fill(parts.blob.begin(), parts.blob.end(), 0);
  if (s.key_hash != parts.hash)
    return make_error(Errc::invalid_input, "signer key hash " + hex8(parts.hash) + " does not match its key");
  return s;
}

std::string format_signer_key(const NoteSigner& s) {
  Bytes blob{kAlgEd25519};
  blob.insert(blob.end(), s.pair.seed.begin(), s.pair.seed.end());
  return "PRIVATE+KEY+" + s.name + "+" + hex8(s.key_hash) + "+" + base64_encode(blob);
}

Result<Note> parse_note(std::string_view message) {
  auto bad = [](const std::string& why) { return make_error(Errc::invalid_input, "malformed note: " + why); };
  if (!valid_note_text(message)) return bad("not UTF-8 text without control characters");
  std::size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) return bad("no blank line before the signatures");
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view sigs = message.substr(split + 2);
  if (sigs.empty()) return bad("no signature lines");
  while (!sigs.empty()) {
    std::size_t nl = sigs.find('\n');
    if (nl == std::string_view::npos) return bad("signature block does not end with a newline");
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (!line.starts_with(kDash)) return bad("signature line does not start with an em dash");
    line.remove_prefix(kDash.size());
    std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return bad("signature line without a space after the key name");
    NoteSignature sig;
    sig.name = std::string(line.substr(0, sp));
    if (!valid_key_name(sig.name)) return bad("invalid key name in a signature line");
    auto raw = base64_decode(line.substr(sp + 1));
    if (!raw.ok() || raw->size() < 5) return bad("signature of " + sig.name + " is not base64 of 5+ bytes");
    sig.key_hash = get_u32(*raw);
    sig.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(sig));
    if (note.signatures.size() > kMaxSignatures) return bad("more than 100 signatures");
  }
  return note;
}

std::string format_signature_line(const NoteSignature& sig) {
  Bytes raw;
  put_u32(raw, sig.key_hash);
  raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
  return std::string(kDash) + sig.name + " " + base64_encode(raw) + "\n";
}

std::string format_note(const Note& note) {
  std::string out = note.text + "\n";
  for (const auto& s : note.signatures) out += format_signature_line(s);
  return out;
}

NoteSignature sign_note_text(std::string_view text, const NoteSigner& signer) {
  auto sig = crypto::ed25519_sign(signer.pair, as_bytes(text));
  return NoteSignature{signer.name, signer.key_hash, Bytes(sig.begin(), sig.end())};
}

Result<std::vector<NoteVerifier>> verify_note(const Note& note, const std::vector<NoteVerifier>& known) {
  std::vector<NoteVerifier> signed_by;
  for (const auto& sig : note.signatures) {
    for (const auto& v : known) {
      if (v.alg != kAlgEd25519 || v.name != sig.name || v.key_hash != sig.key_hash) continue;
      if (!crypto::ed25519_verify(ByteView(v.key.data(), 32), as_bytes(note.text), sig.signature))
        return make_error(Errc::signature, "signature of " + sig.name + " on the note does not verify");
      bool seen = false;
      for (const auto& s : signed_by) seen = seen || s.key == v.key;
      if (!seen) signed_by.push_back(v);
    }
  }
  if (signed_by.empty()) return make_error(Errc::signature, "note has no signature from a known key");
  return signed_by;
}

}  // namespace cocoon::tlog
