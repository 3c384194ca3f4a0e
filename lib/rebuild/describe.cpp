#include "rebuild/describe.hpp"

#include "attest/dsse.hpp"
#include "core/escape.hpp"
#include "core/json.hpp"
#include "rebuild/entries.hpp"

namespace cocoon::rebuild {
namespace {

std::string shorten(const std::string& digest) {
  return digest.size() > 12 ? digest.substr(0, 12) + "…" : digest;
}

// The payload of an entry whose payloadType is ours, or the reason it has none.
Result<Bytes> payload_of(ByteView entry) {
  COCOON_ASSIGN(Json doc, parse_json(to_string(entry), "entry"));
  COCOON_ASSIGN(attest::DsseEnvelope envelope, attest::parse_dsse_envelope(doc));
  return std::move(envelope.payload);
}

std::string malformed(const char* kind, const Error& error) {
  return std::string(kind) + " (malformed: " + printable(error.message, 160) + ")";
}

}  // namespace

std::optional<std::string> describe_entry(ByteView entry) {
  const EntryType type = entry_type(entry);
  if (type == EntryType::other) return std::nullopt;
  const char* kind = type == EntryType::candidate ? "candidate" : "verdict";
  auto payload = payload_of(entry);
  if (!payload.ok()) return malformed(kind, payload.error());
  if (type == EntryType::candidate) {
    auto c = parse_candidate_payload(*payload);
    if (!c.ok()) return malformed(kind, c.error());
    return "candidate " + printable(c->labels.product) + " " + printable(c->labels.version) + " recipe " +
           shorten(c->labels.recipe_sha256) + " commit " + shorten(c->labels.source_commit);
  }
  auto v = parse_verdict_payload(*payload);
  if (!v.ok()) return malformed(kind, v.error());
  return "verdict " + outcome_name(v->outcome) + " " + printable(v->labels.product) + " " +
         printable(v->labels.version) + " by " + printable(v->builder) + " for " +
         (v->subject.kind == VerdictSubject::Kind::release ? "release" : "candidate") + " #" +
         std::to_string(v->subject.log_index);
}

}  // namespace cocoon::rebuild
