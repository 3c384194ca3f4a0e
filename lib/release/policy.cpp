#include "release/policy.hpp"

#include <set>

#include "core/bytes.hpp"
#include "release/metadata.hpp"

namespace cocoon::release {

namespace {

constexpr const char* kWhat = "root policy (x-cocoon-policy)";

Error bad(const std::string& message) {
  return make_error(Errc::invalid_input, std::string(kWhat) + ": " + message);
}

Status check_members(const Json& object, std::initializer_list<const char*> allowed,
                     const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) return bad("unknown member \"" + it.key() + "\" in " + where);
  }
  return Ok{};
}

// A C2SP note verifier key "<name>+<8 hex key hash>+<base64(alg || key)>", checked for shape only:
// the policy is data here. The key is parsed fully (key hash, algorithm, length) where a log signature
// is checked (lib/publish, lib/verify) and by `cocoon-sign root` when it writes a root, so release stays
// free of the log. Returns the name and the decoded bytes (algorithm byte, then the key).
struct KeyShape {
  std::string name;
  Bytes key;
};

Result<KeyShape> verifier_key_shape(const std::string& text, const std::string& which) {
  std::size_t a = text.find('+');
  std::size_t b = a == std::string::npos ? a : text.find('+', a + 1);
  // The name holds no '+'; the base64 key may.
  if (a == std::string::npos || a == 0 || b == std::string::npos || b - a - 1 != 8 ||
      !hex_decode(text.substr(a + 1, 8)).ok())
    return bad(which + " is not of the form <name>+<8 hex digits>+<base64 key>");
  auto key = base64_decode(text.substr(b + 1));
  if (!key.ok() || key->size() < 2)
    return bad(which + ": the key is not base64 of an algorithm byte and a key");
  return KeyShape{text.substr(0, a), std::move(*key)};
}

}  // namespace

Result<CocoonPolicy> parse_policy(const Json& doc) {
  if (!doc.is_object()) return bad("must be an object");
  COCOON_TRY(check_members(doc, {"maintainers", "builders", "log", "witnesses"}, "the policy"));
  CocoonPolicy p;

  COCOON_ASSIGN(const Json* maintainers, get_object(doc, "maintainers", kWhat));
  for (auto it = maintainers->begin(); it != maintainers->end(); ++it) {
    if (!it->is_string() || it->get<std::string>().empty())
      return bad("maintainer names must be non-empty strings");
    p.maintainer_names[it.key()] = it->get<std::string>();
  }

  COCOON_ASSIGN(const Json* builders, get_object(doc, "builders", kWhat));
  COCOON_TRY(check_members(*builders, {"threshold", "keys"}, "\"builders\""));
  COCOON_ASSIGN(p.builder_threshold, get_uint(*builders, "threshold", kWhat));
  auto keys = builders->find("keys");
  if (keys == builders->end() || !keys->is_array()) return bad("\"builders.keys\" must be an array");
  auto parsed = crypto::parse_public_keys(*keys);
  if (!parsed.ok()) return bad("builder keys: " + parsed.error().message);
  p.builder_keys = std::move(parsed.value());
  if (p.builder_threshold < 1) return bad("builder threshold must be at least 1");
  if (p.builder_threshold > p.builder_keys.size()) {
    return bad("builder threshold " + std::to_string(p.builder_threshold) + " exceeds the " +
               std::to_string(p.builder_keys.size()) + " builder keys");
  }

  COCOON_ASSIGN(const Json* log, get_object(doc, "log", kWhat));
  COCOON_TRY(check_members(*log, {"origin", "verifier_key"}, "\"log\""));
  COCOON_ASSIGN(p.log_origin, get_string(*log, "origin", kWhat));
  COCOON_ASSIGN(p.log_verifier_key, get_string(*log, "verifier_key", kWhat));
  COCOON_ASSIGN(KeyShape verifier, verifier_key_shape(p.log_verifier_key, "log verifier key"));
  if (verifier.name != p.log_origin) {
    return bad("log origin \"" + p.log_origin + "\" differs from the verifier key's name \"" + verifier.name +
               "\"");
  }

  COCOON_ASSIGN(const Json* witnesses, get_object(doc, "witnesses", kWhat));
  COCOON_TRY(check_members(*witnesses, {"quorum", "keys"}, "\"witnesses\""));
  COCOON_ASSIGN(p.witness_quorum, get_uint(*witnesses, "quorum", kWhat));
  auto wkeys = witnesses->find("keys");
  if (wkeys == witnesses->end() || !wkeys->is_array()) return bad("\"witnesses.keys\" must be an array");
  std::set<std::string> seen_witness_keys;
  for (const Json& k : *wkeys) {
    if (!k.is_string()) return bad("witness keys must be verifier key strings");
    COCOON_ASSIGN(KeyShape w, verifier_key_shape(k.get<std::string>(), "witness key"));
    // The same key under another algorithm byte is the same witness.
    std::string raw(w.key.begin() + 1, w.key.end());
    if (!seen_witness_keys.insert(raw).second)
      return bad("witness key listed twice: " + k.get<std::string>());
    p.witness_keys.push_back(k.get<std::string>());
  }
  if (p.witness_quorum > p.witness_keys.size()) {
    return bad("witness quorum " + std::to_string(p.witness_quorum) + " exceeds the " +
               std::to_string(p.witness_keys.size()) + " witness keys");
  }
  if (p.witness_quorum == 0 && !p.witness_keys.empty())
    return bad("witness quorum must be at least 1 when witnesses are listed");
  return p;
}

Json policy_json(const CocoonPolicy& policy) {
  Json maintainers = Json::object();
  for (const auto& [keyid, name] : policy.maintainer_names) maintainers[keyid] = name;
  Json builder_keys = Json::array();
  for (const auto& k : policy.builder_keys) builder_keys.push_back(crypto::public_key_json(k));
  return Json{{"maintainers", std::move(maintainers)},
              {"builders", {{"threshold", policy.builder_threshold}, {"keys", std::move(builder_keys)}}},
              {"log", {{"origin", policy.log_origin}, {"verifier_key", policy.log_verifier_key}}},
              {"witnesses", {{"quorum", policy.witness_quorum}, {"keys", policy.witness_keys}}}};
}

}  // namespace cocoon::release
