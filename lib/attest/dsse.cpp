#include "attest/dsse.hpp"

#include <algorithm>

#include "core/file_io.hpp"

namespace cocoon::attest {
namespace {

constexpr std::uint64_t kMaxEnvelopeBytes = 64ull << 20;

Error invalid(const std::string& msg) {
  return make_error(Errc::invalid_input, "DSSE envelope: " + msg);
}

}  // namespace

Bytes dsse_pae(std::string_view payload_type, ByteView payload) {
  std::string head = "DSSEv1 " + std::to_string(payload_type.size()) + " " + std::string(payload_type) + " " +
                     std::to_string(payload.size()) + " ";
  Bytes out(head.begin(), head.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

void dsse_sign(DsseEnvelope& envelope, const crypto::SecretKey& key) {
  auto sig = crypto::ed25519_sign(key.pair, dsse_pae(envelope.payload_type, envelope.payload));
  envelope.signatures.push_back(
      DsseSignature{crypto::ed25519_key_id(key.pair.public_key), Bytes(sig.begin(), sig.end())});
}

Json dsse_envelope_json(const DsseEnvelope& envelope) {
  Json sigs = Json::array();
  for (const auto& s : envelope.signatures)
    sigs.push_back(Json{{"keyid", s.keyid}, {"sig", base64_encode(s.sig)}});
  return Json{{"payloadType", envelope.payload_type},
              {"payload", base64_encode(envelope.payload)},
              {"signatures", sigs}};
}

Result<DsseEnvelope> parse_dsse_envelope(const Json& doc) {
  if (!doc.is_object()) return invalid("not a JSON object");
  DsseEnvelope env;
  auto type = doc.find("payloadType");
  if (type == doc.end() || !type->is_string()) return invalid("missing string \"payloadType\"");
  env.payload_type = type->get<std::string>();
  auto payload = doc.find("payload");
  if (payload == doc.end() || !payload->is_string()) return invalid("missing string \"payload\"");
  auto decoded = base64_decode(payload->get<std::string>());
  if (!decoded.ok()) return invalid("\"payload\" is not valid base64: " + decoded.error().message);
  env.payload = std::move(decoded).value();
  auto sigs = doc.find("signatures");
  if (sigs == doc.end() || !sigs->is_array()) return invalid("missing \"signatures\" array");
  if (sigs->empty()) return invalid("no signatures");
  for (size_t i = 0; i < sigs->size(); ++i) {
    const Json& s = (*sigs)[i];
    const std::string where = "signature " + std::to_string(i) + ": ";
    if (!s.is_object()) return invalid(where + "not an object");
    DsseSignature entry;
    if (auto k = s.find("keyid"); k != s.end()) {
      if (!k->is_string()) return invalid(where + "\"keyid\" must be a string");
      entry.keyid = k->get<std::string>();
    }
    auto sig = s.find("sig");
    if (sig == s.end() || !sig->is_string()) return invalid(where + "missing string \"sig\"");
    auto sig_bytes = base64_decode(sig->get<std::string>());
    if (!sig_bytes.ok()) return invalid(where + "\"sig\" is not valid base64");
    if (sig_bytes->size() != 64)
      return invalid(where + "Ed25519 signature must be 64 bytes, got " + std::to_string(sig_bytes->size()));
    entry.sig = std::move(sig_bytes).value();
    env.signatures.push_back(std::move(entry));
  }
  return env;
}

Result<DsseEnvelope> load_dsse_envelope(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, kMaxEnvelopeBytes));
  COCOON_ASSIGN(Json doc, parse_json(text, path.string()));
  auto env = parse_dsse_envelope(doc);
  if (!env.ok()) return make_error(env.error().code, path.string() + ": " + env.error().message);
  return env;
}

Status save_dsse_envelope(const std::filesystem::path& path, const DsseEnvelope& envelope) {
  return write_file_atomic(path, pretty_json(dsse_envelope_json(envelope)));
}

std::vector<SignatureCheck> dsse_check_signatures(const DsseEnvelope& envelope,
                                                  const std::vector<crypto::PublicKey>& trusted) {
  const Bytes pae = dsse_pae(envelope.payload_type, envelope.payload);
  std::vector<SignatureCheck> checks;
  std::vector<const crypto::PublicKey*> counted;
  for (const auto& s : envelope.signatures) {
    SignatureCheck check;
    check.keyid = s.keyid;
    bool claimed_trusted = false;
    for (const auto& key : trusted) {
      if (!s.keyid.empty() && s.keyid != key.keyid) continue;
      claimed_trusted = true;
      if (crypto::ed25519_verify(key.key, pae, s.sig)) {
        check.outcome = SignatureCheck::Outcome::valid;
        check.key = &key;
        break;
      }
    }
    if (check.outcome != SignatureCheck::Outcome::valid)
      check.outcome =
          claimed_trusted ? SignatureCheck::Outcome::bad_signature : SignatureCheck::Outcome::untrusted_key;
    if (check.key && std::find(counted.begin(), counted.end(), check.key) != counted.end()) continue;
    if (check.key) counted.push_back(check.key);
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace cocoon::attest
