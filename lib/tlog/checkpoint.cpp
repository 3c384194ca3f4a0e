#include "tlog/checkpoint.hpp"

#include <charconv>

namespace cocoon::tlog {
namespace {

std::vector<std::string_view> lines_of(std::string_view body) {
  std::vector<std::string_view> out;
  while (!body.empty()) {
    std::size_t nl = body.find('\n');
    out.push_back(body.substr(0, nl));
    body.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace

std::string format_checkpoint_body(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + hash_base64(c.root) + "\n";
  for (const auto& e : c.extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> parse_checkpoint_body(std::string_view body) {
  auto bad = [](const std::string& why) {
    return make_error(Errc::invalid_input, "malformed checkpoint: " + why);
  };
  if (body.empty() || body.back() != '\n') return bad("body must end with a newline");
  auto lines = lines_of(body);
  if (lines.size() < 3) return bad("expected origin, size and root hash lines");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) return bad("empty origin line");
  std::string_view size = lines[1];
  auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), c.size);
  bool digits = !size.empty() && size.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits || ec != std::errc() || ptr != size.data() + size.size() || (size.size() > 1 && size[0] == '0'))
    return bad("tree size '" + std::string(size) + "' is not a decimal number without leading zeros");
  auto root = hash_from_base64(lines[2]);
  if (!root.ok()) return bad("root hash is not base64 of 32 bytes");
  c.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("empty extension line");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

std::string sign_checkpoint(const Checkpoint& c, const NoteSigner& signer) {
  Note note;
  note.text = format_checkpoint_body(c);
  note.signatures.push_back(sign_note_text(note.text, signer));
  return format_note(note);
}

Result<VerifiedCheckpoint> open_checkpoint(std::string_view signed_note, const NoteVerifier& log_key,
                                           std::string_view expected_origin) {
  COCOON_ASSIGN(Note note, parse_note(signed_note));
  COCOON_ASSIGN(Checkpoint c, parse_checkpoint_body(note.text));
  std::string_view want = expected_origin.empty() ? std::string_view(log_key.name) : expected_origin;
  if (c.origin != want)
    return make_error(Errc::invalid_input, "checkpoint origin '" + c.origin + "' is not the log's origin '" +
                                               std::string(want) + "'");
  auto signers = verify_note(note, {log_key});
  if (!signers.ok())
    return make_error(Errc::signature, "checkpoint of " + c.origin + ": " + signers.error().message);
  return VerifiedCheckpoint{std::move(c), std::move(note)};
}

std::string cosignature_message(std::string_view checkpoint_body, std::uint64_t timestamp) {
  return "cosignature/v1\ntime " + std::to_string(timestamp) + "\n" + std::string(checkpoint_body);
}

NoteSignature cosign_checkpoint(std::string_view checkpoint_body, std::uint64_t timestamp,
                                const NoteSigner& witness) {
  std::string msg = cosignature_message(checkpoint_body, timestamp);
  auto sig = crypto::ed25519_sign(witness.pair, as_bytes(msg));
  NoteSignature out;
  out.name = witness.name;
  out.key_hash = note_key_hash(witness.name, kAlgCosignatureV1, witness.pair.public_key);
  for (int s = 56; s >= 0; s -= 8) out.signature.push_back(static_cast<std::uint8_t>(timestamp >> s));
  out.signature.insert(out.signature.end(), sig.begin(), sig.end());
  return out;
}

Result<std::uint64_t> verify_cosignature(const Note& note, const NoteVerifier& witness) {
  if (witness.alg != kAlgCosignatureV1)
    return make_error(Errc::invalid_input,
                      "witness key " + witness.name + " is not a cosignature/v1 (0x04) key");
  for (const auto& sig : note.signatures) {
    if (sig.name != witness.name || sig.key_hash != witness.key_hash) continue;
    if (sig.signature.size() != 72)
      return make_error(Errc::signature, "cosignature of " + witness.name + " is not 72 bytes");
    std::uint64_t t = 0;
    for (int i = 0; i < 8; ++i) t = (t << 8) | sig.signature[i];
    std::string msg = cosignature_message(note.text, t);
    if (!crypto::ed25519_verify(ByteView(witness.key.data(), 32), as_bytes(msg),
                                ByteView(sig.signature).subspan(8)))
      return make_error(Errc::signature, "cosignature of " + witness.name + " does not verify");
    return t;
  }
  return make_error(Errc::not_found, "no cosignature from witness " + witness.name);
}

}  // namespace cocoon::tlog
