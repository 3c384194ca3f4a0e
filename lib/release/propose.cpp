#include "release/propose.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "attest/compare.hpp"
#include "attest/dsse.hpp"
#include "attest/labels.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "release/products.hpp"

namespace cocoon::release {

namespace {

Result<std::vector<std::uint64_t>> version_parts(std::string_view v) {
  std::vector<std::uint64_t> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t end = v.find('.', start);
    if (end == std::string_view::npos) end = v.size();
    std::string_view part = v.substr(start, end - start);
    if (part.empty() || part.size() > 9 ||
        !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return make_error(Errc::invalid_input,
                        "release version \"" + std::string(v) + "\" is not dotted decimal");
    }
    parts.push_back(std::stoull(std::string(part)));
    if (end == v.size()) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

Result<int> compare_release_versions(std::string_view a, std::string_view b) {
  COCOON_ASSIGN(auto pa, version_parts(a));
  COCOON_ASSIGN(auto pb, version_parts(b));
  std::size_t n = std::max(pa.size(), pb.size());
  pa.resize(n, 0);
  pb.resize(n, 0);
  if (pa < pb) return -1;
  if (pa > pb) return 1;
  return 0;
}

namespace {

// An attestation file given to propose, parsed once.
struct GivenAttestation {
  attest::AttestationInput input;
  std::string file_sha256;
  std::optional<attest::ReleaseLabels> labels;  // absent when the statement states none
};

// Why no builder agreement exists for an artifact: when trusted builders did attest it, but for other
// labels (another version, recipe or commit), that is the reason to name, as its own class.
Error no_agreement(const std::string& artifact, std::size_t best, const CocoonPolicy& policy,
                   const attest::ReleaseLabels& claimed, const std::vector<GivenAttestation>& others) {
  for (const auto& g : others) {
    if (!g.labels || g.labels->product != claimed.product) continue;
    auto st = attest::parse_statement(g.input.envelope.payload);
    bool names_it = st.ok() && std::any_of(st->subjects.begin(), st->subjects.end(),
                                           [&](const attest::Subject& s) { return s.name == artifact; });
    if (!names_it) continue;
    return make_error(Errc::label_mismatch, "propose: no attestation describes " +
                                                attest::describe_labels(claimed) + "; " + g.input.source +
                                                " attests " + artifact + " for " +
                                                attest::describe_labels(*g.labels) + " (" +
                                                attest::label_difference(claimed, *g.labels) + ")");
  }
  return make_error(Errc::builder_agreement, "propose: artifact " + artifact + " reproduced by " +
                                                 std::to_string(best) +
                                                 " trusted builder(s), the policy requires " +
                                                 std::to_string(policy.builder_threshold));
}

}  // namespace

Result<Envelope> propose_targets(const Root& root, const ProposeInput& in) {
  if (!root.policy)
    return make_error(Errc::invalid_input, "propose: the root carries no x-cocoon-policy (builder keys)");
  const CocoonPolicy& policy = *root.policy;
  COCOON_TRY(version_parts(in.release_version));
  const attest::ReleaseLabels claimed{in.recipe.name, in.release_version, in.recipe.sha256,
                                      in.recipe.source_commit};

  Targets targets;
  std::uint64_t version = 1;
  if (in.previous) {
    version = in.previous->common.version + 1;
    COCOON_ASSIGN(auto published, products_of(*in.previous));
    if (auto same = published.find(claimed.product); same != published.end()) {
      COCOON_ASSIGN(int cmp, compare_release_versions(in.release_version, same->second.labels.version));
      if (cmp <= 0) {
        return make_error(Errc::rollback, "propose: " + claimed.product + " " + in.release_version +
                                              " is not greater than its last published version " +
                                              same->second.labels.version);
      }
    }
    // Every other product stays exactly as published: one release changes one product.
    for (const auto& [path, info] : in.previous->targets)
      if (product_of(path) != claimed.product) targets.targets[path] = info;
  }

  // Parse every attestation file; only those stating this release's labels may count.
  std::vector<GivenAttestation> matching, others;
  for (const auto& f : in.attestations) {
    auto doc = parse_json(to_string(f.bytes), f.source);
    if (!doc.ok()) return doc.error();
    auto env = attest::parse_dsse_envelope(*doc);
    if (!env.ok()) return make_error(Errc::invalid_input, f.source + ": " + env.error().message);
    GivenAttestation g{{f.source, std::move(env.value())}, crypto::sha256_hex(f.bytes), std::nullopt};
    if (auto st = attest::parse_statement(g.input.envelope.payload); st.ok()) {
      if (auto labels = attest::attested_labels(*st); labels.ok()) g.labels = *labels;
    }
    (g.labels == claimed ? matching : others).push_back(std::move(g));
  }
  if (in.attestations.empty()) return make_error(Errc::builder_agreement, "propose: no attestations given");
  std::vector<attest::AttestationInput> inputs;
  for (const auto& g : matching) inputs.push_back(g.input);
  attest::CompareOptions options;
  options.threshold = policy.builder_threshold;
  attest::CompareReport report;
  if (!inputs.empty()) {
    COCOON_ASSIGN(report, attest::compare_attestations(inputs, policy.builder_keys, options));
  }

  std::map<std::string, const ArtifactDigest*> on_disk;
  for (const auto& a : in.artifacts) on_disk[a.name] = &a;

  targets.common = CommonFields{kRoleTargets, kSpecVersion, version, in.expires};
  for (const auto& name : in.recipe.artifacts) {
    auto verdict = std::find_if(report.artifacts.begin(), report.artifacts.end(),
                                [&](const attest::ArtifactVerdict& v) { return v.name == name; });
    if (verdict == report.artifacts.end() || !verdict->reproduced) {
      std::size_t best = 0;
      if (verdict != report.artifacts.end() && !verdict->digests.empty())
        best = verdict->digests.front().builders.size();
      return no_agreement(name, best, policy, claimed, others);
    }
    auto file = on_disk.find(name);
    if (file == on_disk.end())
      return make_error(Errc::not_found, "propose: artifact file " + name + " not given");
    if (file->second->sha256 != verdict->agreed_sha256) {
      return make_error(Errc::builder_agreement, "propose: artifact file " + name + " has sha256 " +
                                                     file->second->sha256 + ", the builders agreed on " +
                                                     verdict->agreed_sha256);
    }
    // The attestation files whose statement lists this artifact with the agreed digest, signed by a
    // trusted builder.
    std::vector<std::string> backing;
    for (const auto& g : matching) {
      bool trusted_signature = false;
      for (const auto& c : attest::dsse_check_signatures(g.input.envelope, policy.builder_keys)) {
        trusted_signature = trusted_signature || c.outcome == attest::SignatureCheck::Outcome::valid;
      }
      auto st = attest::parse_statement(g.input.envelope.payload);
      if (!trusted_signature || !st.ok()) continue;
      for (const auto& s : st->subjects) {
        if (s.name == name && s.sha256 == verdict->agreed_sha256) backing.push_back(g.file_sha256);
      }
    }
    std::sort(backing.begin(), backing.end());
    backing.erase(std::unique(backing.begin(), backing.end()), backing.end());

    std::string path = in.recipe.name + "/" + name;
    if (!valid_target_path(path))
      return make_error(Errc::invalid_input, "propose: target path \"" + path + "\" is not plain ASCII");
    TargetFile tf;
    tf.length = file->second->length;
    tf.hashes = {{"sha256", file->second->sha256}, {"sha512", file->second->sha512}};
    tf.custom = Json{{"cocoon",
                      {{"version", in.release_version},
                       {"source_commit", in.recipe.source_commit},
                       {"recipe_sha256", in.recipe.sha256},
                       {"attestations", backing}}}};
    targets.targets[path] = std::move(tf);
  }
  if (in.recipe.artifacts.empty())
    return make_error(Errc::invalid_input, "propose: the recipe lists no artifacts");
  targets.release = Json{{"name", in.recipe.name},
                         {"version", in.release_version},
                         {"source_commit", in.recipe.source_commit},
                         {"recipe_sha256", in.recipe.sha256}};
  if (in.measurement) {
    // Only the bytes the builders agreed on may speak for the release.
    auto agreed = targets.targets.find(in.recipe.name + "/measurement.json");
    if (agreed == targets.targets.end())
      return make_error(Errc::invalid_input,
                        "propose: a measurement was given but the recipe lists no measurement.json");
    auto agreed_sha256 = agreed->second.hashes.find("sha256");
    if (agreed_sha256 == agreed->second.hashes.end())
      return make_error(Errc::invalid_input, "propose: the agreed measurement.json has no sha256 hash");
    if (crypto::sha256_hex(ByteView(*in.measurement)) != agreed_sha256->second)
      return make_error(Errc::hash_mismatch,
                        "propose: measurement.json is not the file the builders agreed on");
    COCOON_ASSIGN(Json doc, parse_json(to_string(*in.measurement), "measurement.json"));
    if (!doc.is_object() || !doc.contains("image_hashes") || !doc["image_hashes"].is_array())
      return make_error(Errc::invalid_input, "propose: measurement.json has no image_hashes array");
    (*targets.release)["image_hashes"] = doc["image_hashes"];
    // Also on the target itself, so the image hashes of every product stay in later targets versions
    // that release other products.
    (*agreed->second.custom)["cocoon"]["image_hashes"] = doc["image_hashes"];
  }
  Envelope env;
  env.signed_part = targets_json(targets);
  return env;
}

Result<std::vector<AttestationFile>> read_attestation_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return make_error(Errc::not_found, "attestation directory " + dir.string() + " does not exist");
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path());
  }
  if (ec) return make_error(Errc::io, "cannot list " + dir.string() + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<AttestationFile> out;
  for (const auto& p : paths) {
    COCOON_ASSIGN(Bytes bytes, read_file(p, 16u << 20));
    out.push_back({p.filename().string(), std::move(bytes)});
  }
  return out;
}

Result<std::vector<ArtifactDigest>> digest_artifacts(const std::filesystem::path& dir,
                                                     const std::vector<std::string>& names) {
  std::vector<ArtifactDigest> out;
  for (const auto& name : names) {
    std::filesystem::path p = dir / name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec))
      return make_error(Errc::not_found, "artifact file " + p.string() + " does not exist");
    COCOON_ASSIGN(crypto::FileDigests d, crypto::digest_file_sha256_sha512(p));
    out.push_back({name, d.size, hex_encode(d.sha256), hex_encode(d.sha512)});
  }
  return out;
}

}  // namespace cocoon::release
