#pragma once
// Several products in one targets role. A target's product is the first component of its path
// ("sample-node/sample-node.tar.zst" belongs to sample-node); every target of a product carries the
// same release labels in custom.cocoon (version, source commit, recipe digest), and a targets version
// holds exactly one release of each product it lists. Publishing a release of one product carries the
// others forward unchanged, and each product's version only moves forward (docs/tuf-extensions.md,
// "Products").
//
// Example: targets v7 {"sample-node/a": {…, "cocoon": {"version": "0.2.0", …}},
//                      "sample-sdk/b":  {…, "cocoon": {"version": "1.2.3", …}}}
//   -> products {sample-node 0.2.0 [sample-node/a], sample-sdk 1.2.3 [sample-sdk/b]};
//   v8 with sample-node 0.3.0 and sample-sdk/b unchanged -> changes {sample-node 0.2.0 -> 0.3.0,
//   sample-sdk 1.2.3 unchanged}; v8 with sample-node 0.1.0 -> Errc::rollback.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attest/labels.hpp"
#include "core/result.hpp"
#include "release/roles.hpp"

namespace cocoon::release {

// The first path component; empty for a path without '/' (which no Cocoon release writes).
std::string product_of(std::string_view target_path);

// The labels a target carries: the product from its path, the rest from custom.cocoon.
// Errc::invalid_input when the path has no product directory or a label is missing or not a string.
Result<attest::ReleaseLabels> target_labels(const std::string& path, const TargetFile& info);

struct ProductRelease {
  attest::ReleaseLabels labels;
  std::map<std::string, std::string> files;  // target path -> sha256 (empty when a target lists none)
};
using Products = std::map<std::string, ProductRelease>;

// Every product the targets list. Errc::label_mismatch when two targets of one product carry different
// labels (a targets version holds one release per product); invalid_input as target_labels.
Result<Products> products_of(const Targets& targets);

// What a new targets version does to one product. `before` absent: a new product; `after` absent: the
// product was removed; both equal: carried forward unchanged.
struct ProductChange {
  std::string product;
  std::optional<std::string> before, after;
};

// Per-product rollback protection between two targets versions. Errc::rollback when a product's
// version goes down; Errc::label_mismatch when a product keeps its version but its labels, its target
// paths or any target's sha256 changed (a release is never rewritten under the same version; citing
// more attestations for the same bytes is not a change). Products are listed in name order.
Result<std::vector<ProductChange>> product_changes(const Products& previous, const Products& next);
Result<std::vector<ProductChange>> product_changes(const Targets& previous, const Targets& next);

// The form a node keeps between updates (cocoon-verify's state): {"<product>": {"version", "source_commit",
// "recipe_sha256", "files": {"<path>": "<sha256>"}}}. parse_products refuses anything else.
Json products_json(const Products& products);
Result<Products> parse_products(const Json& doc);

// "sample-node 0.2.0 -> 0.3.0", "sample-sdk 1.2.3 unchanged", "sample-web 1.0 (new)", "old 2.0 removed".
std::string describe_change(const ProductChange& change);

}  // namespace cocoon::release
