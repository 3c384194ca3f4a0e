#include "watch/discover.hpp"

#include "core/json.hpp"
#include "crypto/hash.hpp"
#include "release/metadata.hpp"
#include "release/products.hpp"
#include "release/threshold.hpp"

namespace cocoon::watch {

namespace {

// Cheap test before the full parse: TUF metadata is a JSON object with "signed" and "signatures".
bool looks_like_tuf(ByteView entry) {
  std::string_view text(reinterpret_cast<const char*>(entry.data()), entry.size());
  return text.find("\"signed\"") != std::string_view::npos &&
         text.find("\"signatures\"") != std::string_view::npos;
}

void examine_targets(std::uint64_t index, ByteView entry, const Trust& trust, Finding& out) {
  auto doc = parse_json(to_string(entry), "log entry " + std::to_string(index));
  if (!doc.ok() || !doc->is_object() || !doc->contains("signed") || !(*doc)["signed"].is_object()) return;
  const Json& type = (*doc)["signed"].contains("_type") ? (*doc)["signed"]["_type"] : Json();
  if (!type.is_string() || type.get<std::string>() != release::kRoleTargets) return;
  std::string what = "targets entry " + std::to_string(index);
  auto envelope = release::parse_envelope(*doc, what);
  if (!envelope.ok()) {
    out.ignored = envelope.error().message;
    return;
  }
  // Expiry is not checked: a release logged long ago is still worth rebuilding; what matters is that
  // the maintainers' threshold signed it.
  if (auto st = release::check_threshold(trust.root, release::kRoleTargets, *envelope, what); !st.ok()) {
    out.ignored = st.error().message;
    return;
  }
  auto targets = release::parse_targets(envelope->signed_part);
  if (!targets.ok()) {
    out.ignored = targets.error().message;
    return;
  }
  auto products = release::products_of(*targets);
  if (!products.ok()) {
    out.ignored = products.error().message;
    return;
  }
  std::string entry_sha256 = crypto::sha256_hex(entry);
  for (const auto& [name, product] : *products) {
    Job job;
    job.kind = JobKind::release;
    job.key = release_job_key(name, product.labels.version, product.labels.recipe_sha256);
    job.log_index = index;
    job.entry_sha256 = entry_sha256;
    job.targets_version = targets->common.version;
    job.product = name;
    job.version = product.labels.version;
    job.recipe_sha256 = product.labels.recipe_sha256;
    job.source_commit = product.labels.source_commit;
    // Targets are "<product>/<artifact name>": the builder's artifacts are named without the product.
    for (const auto& [path, sha256] : product.files) job.expected[path.substr(name.size() + 1)] = sha256;
    out.releases.push_back(std::move(job));
  }
}

}  // namespace

std::vector<crypto::PublicKey> targets_role_keys(const release::Root& root) {
  std::vector<crypto::PublicKey> out;
  auto keys = release::ed25519_keys(root);
  for (const auto& keyid : root.role(release::kRoleTargets).keyids) {
    auto it = keys.find(keyid);
    if (it == keys.end()) continue;
    crypto::PublicKey k;
    k.key = it->second;
    k.keyid = crypto::ed25519_key_id(it->second);
    k.name = keyid.substr(0, 12);
    if (root.policy)
      if (auto named = root.policy->maintainer_names.find(keyid);
          named != root.policy->maintainer_names.end())
        k.name = named->second;
    out.push_back(std::move(k));
  }
  return out;
}

std::string release_job_key(const std::string& product, const std::string& version,
                            const std::string& recipe_sha256) {
  return "release:" + product + "/" + version + "/" + recipe_sha256;
}

std::string candidate_job_key(const std::string& recipe_sha256) {
  return "candidate:" + recipe_sha256;
}

Finding examine_entry(std::uint64_t index, ByteView entry, const Trust& trust) {
  Finding out;
  switch (rebuild::entry_type(entry)) {
    case rebuild::EntryType::candidate: {
      auto opened = rebuild::open_candidate(entry, trust.maintainers);
      if (!opened.ok()) {
        out.ignored = "candidate at index " + std::to_string(index) + ": " + opened.error().message;
        return out;
      }
      const rebuild::Candidate& c = opened->value;
      StoredCandidate stored;
      stored.log_index = index;
      stored.entry_sha256 = crypto::sha256_hex(entry);
      stored.product = c.labels.product;
      stored.version = c.labels.version;
      stored.recipe_sha256 = c.labels.recipe_sha256;
      stored.source_commit = c.labels.source_commit;
      stored.signer = opened->signer.name;
      stored.recipe = c.recipe;
      out.candidate = std::move(stored);
      return out;
    }
    case rebuild::EntryType::verdict: {
      auto opened = rebuild::open_verdict(entry, {trust.builder});
      if (!opened.ok()) return out;  // another builder's verdict: not ours to act on
      const rebuild::Verdict& v = opened->value;
      out.own_verdict_key = v.subject.kind == rebuild::VerdictSubject::Kind::release
                                ? release_job_key(v.labels.product, v.labels.version, v.labels.recipe_sha256)
                                : candidate_job_key(v.labels.recipe_sha256);
      out.own_verdict_outcome = rebuild::outcome_name(v.outcome);
      return out;
    }
    case rebuild::EntryType::other:
      break;
  }
  if (looks_like_tuf(entry)) examine_targets(index, entry, trust, out);
  return out;
}

}  // namespace cocoon::watch
