#include "rebuild/entry_envelope.hpp"

#include "attest/dsse.hpp"
#include "core/escape.hpp"
#include "core/json.hpp"
#include "rebuild/entries.hpp"

namespace cocoon::rebuild {

namespace detail {

Result<Bytes> sign_entry(const char* payload_type, Bytes payload, const crypto::SecretKey& key,
                         std::string_view what) {
  attest::DsseEnvelope envelope{payload_type, std::move(payload), {}};
  attest::dsse_sign(envelope, key);
  COCOON_ASSIGN(std::string text, canonical_json(attest::dsse_envelope_json(envelope)));
  if (text.size() > kMaxLogEntryBytes)
    return make_error(Errc::invalid_input, std::string(what) + ": the signed entry is " +
                                               std::to_string(text.size()) +
                                               " bytes, over the log's entry limit of " +
                                               std::to_string(kMaxLogEntryBytes) + " bytes");
  return to_bytes(text);
}

Result<OpenedEntry> open_entry(ByteView entry, const char* payload_type,
                               const std::vector<crypto::PublicKey>& trusted, std::string_view what) {
  auto bad = [&](const std::string& message) {
    return make_error(Errc::invalid_input, std::string(what) + " entry: " + message);
  };
  if (entry.size() > kMaxLogEntryBytes)
    return bad(std::to_string(entry.size()) + " bytes, over the log's entry limit of " +
               std::to_string(kMaxLogEntryBytes));
  auto doc = parse_json(to_string(entry), "log entry");
  if (!doc.ok()) return bad(doc.error().message);
  auto envelope = attest::parse_dsse_envelope(*doc);
  if (!envelope.ok()) return bad(envelope.error().message);
  if (envelope->payload_type != payload_type)
    return bad("payloadType is \"" + printable(envelope->payload_type, 100) + "\", expected \"" +
               payload_type + "\"");
  std::size_t untrusted = 0, bad_signatures = 0;
  for (const auto& check : attest::dsse_check_signatures(*envelope, trusted)) {
    if (check.outcome == attest::SignatureCheck::Outcome::valid)
      return OpenedEntry{std::move(envelope->payload), *check.key};
    ++(check.outcome == attest::SignatureCheck::Outcome::untrusted_key ? untrusted : bad_signatures);
  }
  return make_error(Errc::signature, std::string(what) +
                                         " entry: no signature verifies under a trusted key (" +
                                         std::to_string(untrusted) + " by an untrusted key, " +
                                         std::to_string(bad_signatures) + " not verifying)");
}

}  // namespace detail

EntryType entry_type(ByteView entry) {
  auto doc = parse_json(to_string(entry), "log entry");
  if (!doc.ok() || !doc->is_object()) return EntryType::other;
  auto type = doc->find("payloadType");
  if (type == doc->end() || !type->is_string()) return EntryType::other;
  const auto& name = type->get_ref<const std::string&>();
  if (name == kCandidatePayloadType) return EntryType::candidate;
  if (name == kVerdictPayloadType) return EntryType::verdict;
  return EntryType::other;
}

}  // namespace cocoon::rebuild
