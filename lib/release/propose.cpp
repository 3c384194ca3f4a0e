#include "release/propose.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "attest/compare.hpp"
#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"

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

Result<Envelope> propose_targets(const Root& root, const ProposeInput& in) {
  if (!root.policy)
    return make_error(Errc::invalid_input, "propose: the root carries no x-cocoon-policy (builder keys)");
  const CocoonPolicy& policy = *root.policy;
  COCOON_TRY(version_parts(in.release_version));

  std::uint64_t version = 1;
  if (in.previous) {
    version = in.previous->common.version + 1;
    if (in.previous->release && in.previous->release->contains("version") &&
        in.previous->release->at("version").is_string()) {
      std::string prev = in.previous->release->at("version").get<std::string>();
      COCOON_ASSIGN(int cmp, compare_release_versions(in.release_version, prev));
      if (cmp <= 0) {
        return make_error(Errc::rollback, "propose: release version " + in.release_version +
                                              " is not greater than the last published version " + prev);
      }
    }
  }

  // Parse every attestation file; remember which file backs which (artifact, digest).
  std::vector<attest::AttestationInput> inputs;
  std::vector<std::string> file_digests;
  for (const auto& f : in.attestations) {
    auto doc = parse_json(to_string(f.bytes), f.source);
    if (!doc.ok()) return doc.error();
    auto env = attest::parse_dsse_envelope(*doc);
    if (!env.ok()) return make_error(Errc::invalid_input, f.source + ": " + env.error().message);
    inputs.push_back({f.source, std::move(env.value())});
    file_digests.push_back(crypto::sha256_hex(f.bytes));
  }
  if (inputs.empty()) return make_error(Errc::builder_agreement, "propose: no attestations given");
  attest::CompareOptions options;
  options.threshold = policy.builder_threshold;
  COCOON_ASSIGN(attest::CompareReport report,
                attest::compare_attestations(inputs, policy.builder_keys, options));

  std::map<std::string, const ArtifactDigest*> on_disk;
  for (const auto& a : in.artifacts) on_disk[a.name] = &a;

  Targets targets;
  targets.common = CommonFields{kRoleTargets, kSpecVersion, version, in.expires};
  for (const auto& name : in.recipe.artifacts) {
    auto verdict = std::find_if(report.artifacts.begin(), report.artifacts.end(),
                                [&](const attest::ArtifactVerdict& v) { return v.name == name; });
    if (verdict == report.artifacts.end() || !verdict->reproduced) {
      std::size_t best = 0;
      if (verdict != report.artifacts.end() && !verdict->digests.empty())
        best = verdict->digests.front().builders.size();
      return make_error(Errc::builder_agreement, "propose: artifact " + name + " reproduced by " +
                                                     std::to_string(best) +
                                                     " trusted builder(s), the policy requires " +
                                                     std::to_string(policy.builder_threshold));
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
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      bool trusted_signature = false;
      for (const auto& c : attest::dsse_check_signatures(inputs[i].envelope, policy.builder_keys)) {
        trusted_signature = trusted_signature || c.outcome == attest::SignatureCheck::Outcome::valid;
      }
      auto st = attest::parse_statement(inputs[i].envelope.payload);
      if (!trusted_signature || !st.ok()) continue;
      for (const auto& s : st->subjects) {
        if (s.name == name && s.sha256 == verdict->agreed_sha256) backing.push_back(file_digests[i]);
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
  if (targets.targets.empty())
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
