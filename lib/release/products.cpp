#include "release/products.hpp"

#include <algorithm>

#include "release/propose.hpp"

namespace cocoon::release {

namespace {

Result<std::string> label_member(const Json& cocoon, const char* name, const std::string& path) {
  auto it = cocoon.find(name);
  if (it == cocoon.end() || !it->is_string())
    return make_error(Errc::invalid_input, "target " + path + " carries no " + name + " in custom.cocoon");
  return it->get<std::string>();
}

}  // namespace

std::string product_of(std::string_view target_path) {
  auto slash = target_path.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(target_path.substr(0, slash));
}

Result<attest::ReleaseLabels> target_labels(const std::string& path, const TargetFile& info) {
  attest::ReleaseLabels labels;
  labels.product = product_of(path);
  if (labels.product.empty())
    return make_error(Errc::invalid_input, "target " + path + " is not inside a product directory");
  if (!info.custom || !info.custom->is_object() || !info.custom->contains("cocoon") ||
      !info.custom->at("cocoon").is_object())
    return make_error(Errc::invalid_input, "target " + path + " carries no custom.cocoon release labels");
  const Json& cocoon = info.custom->at("cocoon");
  COCOON_ASSIGN(labels.version, label_member(cocoon, "version", path));
  COCOON_ASSIGN(labels.recipe_sha256, label_member(cocoon, "recipe_sha256", path));
  COCOON_ASSIGN(labels.source_commit, label_member(cocoon, "source_commit", path));
  return labels;
}

Result<Products> products_of(const Targets& targets) {
  Products out;
  std::map<std::string, std::string> first_path;
  for (const auto& [path, info] : targets.targets) {
    COCOON_ASSIGN(attest::ReleaseLabels labels, target_labels(path, info));
    auto [it, fresh] = out.try_emplace(labels.product, ProductRelease{labels, {}});
    if (fresh) first_path[labels.product] = path;
    if (!fresh && it->second.labels != labels) {
      return make_error(Errc::label_mismatch, "targets of product " + labels.product + " disagree: " + path +
                                                  " says " + attest::describe_labels(labels) + ", " +
                                                  first_path[labels.product] + " says " +
                                                  attest::describe_labels(it->second.labels));
    }
    auto sha256 = info.hashes.find("sha256");
    it->second.files[path] = sha256 == info.hashes.end() ? std::string() : sha256->second;
  }
  return out;
}

Result<std::vector<ProductChange>> product_changes(const Products& before, const Products& after) {
  std::vector<ProductChange> changes;
  for (const auto& [name, old] : before) {
    auto now = after.find(name);
    if (now == after.end()) {
      changes.push_back({name, old.labels.version, std::nullopt});
      continue;
    }
    COCOON_ASSIGN(int order, compare_release_versions(now->second.labels.version, old.labels.version));
    if (order < 0) {
      return make_error(Errc::rollback, "product " + name + " goes back from version " + old.labels.version +
                                            " to " + now->second.labels.version);
    }
    if (order == 0 && (old.labels != now->second.labels || old.files != now->second.files)) {
      return make_error(Errc::label_mismatch, "product " + name + " " + old.labels.version +
                                                  " changed its targets without a new version");
    }
    changes.push_back({name, old.labels.version, now->second.labels.version});
  }
  for (const auto& [name, release] : after) {
    if (!before.count(name)) changes.push_back({name, std::nullopt, release.labels.version});
  }
  std::sort(changes.begin(), changes.end(),
            [](const ProductChange& a, const ProductChange& b) { return a.product < b.product; });
  return changes;
}

Result<std::vector<ProductChange>> product_changes(const Targets& previous, const Targets& next) {
  COCOON_ASSIGN(Products before, products_of(previous));
  COCOON_ASSIGN(Products after, products_of(next));
  return product_changes(before, after);
}

Json products_json(const Products& products) {
  Json out = Json::object();
  for (const auto& [name, p] : products) {
    out[name] = Json{{"version", p.labels.version},
                     {"source_commit", p.labels.source_commit},
                     {"recipe_sha256", p.labels.recipe_sha256},
                     {"files", p.files}};
  }
  return out;
}

Result<Products> parse_products(const Json& doc) {
  auto bad = [](const std::string& why) {
    return make_error(Errc::invalid_input, "products record: " + why);
  };
  if (!doc.is_object()) return bad("not an object");
  Products out;
  for (const auto& [name, entry] : doc.items()) {
    if (!entry.is_object()) return bad(name + " is not an object");
    ProductRelease p;
    p.labels.product = name;
    for (auto [member, field] :
         {std::pair{"version", &p.labels.version}, std::pair{"source_commit", &p.labels.source_commit},
          std::pair{"recipe_sha256", &p.labels.recipe_sha256}}) {
      auto it = entry.find(member);
      if (it == entry.end() || !it->is_string()) return bad(name + " has no " + member);
      *field = it->get<std::string>();
    }
    auto files = entry.find("files");
    if (files == entry.end() || !files->is_object()) return bad(name + " has no files");
    for (const auto& [path, sha] : files->items()) {
      if (!sha.is_string()) return bad(name + ": a file digest is not a string");
      p.files[path] = sha.get<std::string>();
    }
    out.emplace(name, std::move(p));
  }
  return out;
}

std::string describe_change(const ProductChange& c) {
  if (!c.before) return c.product + " " + c.after.value_or("") + " (new)";
  if (!c.after) return c.product + " " + *c.before + " removed";
  if (*c.before == *c.after) return c.product + " " + *c.after + " unchanged";
  return c.product + " " + *c.before + " -> " + *c.after;
}

}  // namespace cocoon::release
