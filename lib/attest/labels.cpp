#include "attest/labels.hpp"

namespace cocoon::attest {

namespace {

// Follows `path` through nested objects; nullptr when any step is missing or not an object.
const Json* member_at(const Json& root, std::initializer_list<const char*> path) {
  const Json* at = &root;
  for (const char* name : path) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(name);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

Result<std::string> string_at(const Json& root, std::initializer_list<const char*> path,
                              std::string_view what) {
  const Json* v = member_at(root, path);
  if (!v || !v->is_string())
    return make_error(Errc::invalid_input, "the attestation states no " + std::string(what));
  return v->get<std::string>();
}

std::string shorten(const std::string& digest) {
  return digest.size() > 12 ? digest.substr(0, 12) + "…" : digest;
}

}  // namespace

Result<ReleaseLabels> attested_labels(const Statement& statement) {
  const Json* external = member_at(statement.predicate, {"buildDefinition", "externalParameters"});
  if (!external) return make_error(Errc::invalid_input, "the attestation has no externalParameters");
  ReleaseLabels labels;
  COCOON_ASSIGN(labels.product, string_at(*external, {"recipe", "name"}, "recipe name"));
  COCOON_ASSIGN(labels.version, string_at(*external, {"recipe", "version"}, "recipe version"));
  COCOON_ASSIGN(labels.recipe_sha256, string_at(*external, {"recipe", "digest", "sha256"}, "recipe digest"));
  COCOON_ASSIGN(labels.source_commit, string_at(*external, {"source", "commit"}, "source commit"));
  return labels;
}

std::string describe_labels(const ReleaseLabels& l) {
  return l.product + " " + l.version + " (recipe " + shorten(l.recipe_sha256) + ", commit " +
         shorten(l.source_commit) + ")";
}

std::string label_difference(const ReleaseLabels& claimed, const ReleaseLabels& attested) {
  auto differ = [](const char* what, const std::string& c, const std::string& a) {
    return std::string(what) + " " + shorten(c) + " where the builders attested " + shorten(a);
  };
  if (claimed.product != attested.product) return differ("product", claimed.product, attested.product);
  if (claimed.version != attested.version) return differ("version", claimed.version, attested.version);
  if (claimed.recipe_sha256 != attested.recipe_sha256)
    return differ("recipe sha256", claimed.recipe_sha256, attested.recipe_sha256);
  if (claimed.source_commit != attested.source_commit)
    return differ("source commit", claimed.source_commit, attested.source_commit);
  return {};
}

}  // namespace cocoon::attest
