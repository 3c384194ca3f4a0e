#include "release/metadata.hpp"

#include <set>

#include "core/bytes.hpp"

namespace cocoon::release {

namespace {

Error bad(std::string_view what, const std::string& message) {
  return make_error(Errc::invalid_input, std::string(what) + ": " + message);
}

}  // namespace

Result<std::uint64_t> get_uint(const Json& object, std::string_view key, std::string_view what) {
  auto it = object.find(std::string(key));
  if (it == object.end()) return bad(what, "missing \"" + std::string(key) + "\"");
  if (it->is_number_unsigned()) {
    auto v = it->get<std::uint64_t>();
    if (v > kMaxSafeInteger) return bad(what, "\"" + std::string(key) + "\" is too large");
    return v;
  }
  if (it->is_number_integer() && it->get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(it->get<std::int64_t>());
  return bad(what, "\"" + std::string(key) + "\" must be a non-negative integer");
}

Result<std::string> get_string(const Json& object, std::string_view key, std::string_view what) {
  auto it = object.find(std::string(key));
  if (it == object.end()) return bad(what, "missing \"" + std::string(key) + "\"");
  if (!it->is_string()) return bad(what, "\"" + std::string(key) + "\" must be a string");
  return it->get<std::string>();
}

Result<const Json*> get_object(const Json& object, std::string_view key, std::string_view what) {
  auto it = object.find(std::string(key));
  if (it == object.end()) return bad(what, "missing \"" + std::string(key) + "\"");
  if (!it->is_object()) return bad(what, "\"" + std::string(key) + "\" must be an object");
  return &*it;
}

Result<Envelope> parse_envelope(const Json& doc, std::string_view what) {
  if (!doc.is_object()) return bad(what, "metadata must be a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "signed" && it.key() != "signatures")
      return bad(what, "unknown member \"" + it.key() + "\"");
  }
  COCOON_ASSIGN(const Json* signed_part, get_object(doc, "signed", what));
  auto sigs = doc.find("signatures");
  if (sigs == doc.end() || !sigs->is_array()) return bad(what, "\"signatures\" must be an array");
  Envelope env;
  env.signed_part = *signed_part;
  std::set<std::string> keyids;
  for (const Json& s : *sigs) {
    if (!s.is_object()) return bad(what, "each signature must be an object");
    COCOON_ASSIGN(std::string keyid, get_string(s, "keyid", what));
    COCOON_ASSIGN(std::string sig, get_string(s, "sig", what));
    // Refused outright, as python-tuf, tuf-js and the TUF conformance suite do: a signer never needs two
    // entries, and counting the key once (threshold.hpp) would otherwise make us the one lenient client.
    if (!keyids.insert(keyid).second) return bad(what, "two signatures under key id " + keyid);
    env.signatures.push_back({std::move(keyid), std::move(sig)});
  }
  return env;
}

Result<Envelope> parse_envelope_text(std::string_view text, std::string_view what) {
  COCOON_ASSIGN(Json doc, parse_json(text, what));
  return parse_envelope(doc, what);
}

Json envelope_json(const Envelope& envelope) {
  Json sigs = Json::array();
  for (const auto& s : envelope.signatures) sigs.push_back({{"keyid", s.keyid}, {"sig", s.sig}});
  return Json{{"signed", envelope.signed_part}, {"signatures", std::move(sigs)}};
}

std::string envelope_text(const Envelope& envelope) {
  return pretty_json(envelope_json(envelope));
}

Result<std::string> signed_bytes(const Envelope& envelope) {
  return canonical_json(envelope.signed_part);
}

Result<CommonFields> parse_common(const Json& signed_part, std::string_view expected_type) {
  std::string what = std::string(expected_type) + " metadata";
  if (!signed_part.is_object()) return bad(what, "\"signed\" must be an object");
  CommonFields c;
  COCOON_ASSIGN(c.type, get_string(signed_part, "_type", what));
  if (c.type != expected_type)
    return bad(what, "\"_type\" is \"" + c.type + "\", expected \"" + std::string(expected_type) + "\"");
  COCOON_ASSIGN(c.spec_version, get_string(signed_part, "spec_version", what));
  // "1.0", "1.0.31": a major version other than 1 is a format we do not know.
  {
    const std::string& v = c.spec_version;
    std::size_t dots = 0;
    bool ok = v.size() >= 3 && v.rfind("1.", 0) == 0;
    for (std::size_t i = 2; ok && i < v.size(); ++i) {
      if (v[i] == '.') {
        ok = ++dots <= 1 && i + 1 < v.size() && v[i - 1] != '.';
      } else {
        ok = v[i] >= '0' && v[i] <= '9';
      }
    }
    if (!ok) return make_error(Errc::unsupported, what + ": unsupported spec_version \"" + v + "\"");
  }
  COCOON_ASSIGN(c.version, get_uint(signed_part, "version", what));
  if (c.version < 1) return bad(what, "\"version\" must be at least 1");
  COCOON_ASSIGN(std::string expires, get_string(signed_part, "expires", what));
  auto t = parse_rfc3339(expires);
  if (!t.ok()) return bad(what, "\"expires\" is not RFC 3339 whole seconds UTC: \"" + expires + "\"");
  c.expires = *t;
  return c;
}

void write_common(Json& signed_part, const CommonFields& common) {
  signed_part["_type"] = common.type;
  signed_part["spec_version"] = common.spec_version;
  signed_part["version"] = common.version;
  signed_part["expires"] = format_rfc3339(common.expires);
}

}  // namespace cocoon::release
