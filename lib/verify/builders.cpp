#include "verify/builders.hpp"

#include "attest/compare.hpp"
#include "attest/labels.hpp"
#include "crypto/hash.hpp"
#include "release/products.hpp"

namespace cocoon::verify {

std::string attestation_path(const std::string& sha256_hex) {
  return "attestations/" + sha256_hex + ".json";
}

Result<std::vector<std::string>> cited_attestations(const std::string& target_path,
                                                    const release::TargetFile& info) {
  auto none = make_error(Errc::builder_agreement, "target " + target_path + " cites no builder attestations");
  if (!info.custom || !info.custom->is_object()) return none;
  auto cocoon = info.custom->find("cocoon");
  if (cocoon == info.custom->end()) return none;
  if (!cocoon->is_object())
    return make_error(Errc::invalid_input, "target " + target_path + ": custom.cocoon is not an object");
  auto list = cocoon->find("attestations");
  if (list == cocoon->end()) return none;
  std::vector<std::string> digests;
  if (!list->is_array())
    return make_error(Errc::invalid_input, "target " + target_path + ": attestations is not an array");
  for (const auto& d : *list) {
    bool hex64 = d.is_string() && d.get<std::string>().size() == 64 &&
                 d.get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex64) {
      return make_error(Errc::invalid_input,
                        "target " + target_path + ": an attestation digest is not 64 lower-case hex");
    }
    digests.push_back(d.get<std::string>());
  }
  if (digests.empty()) return none;
  return digests;
}

Result<BuilderVerdict> check_builder_agreement(const release::CocoonPolicy& policy,
                                               const std::string& target_path,
                                               const release::TargetFile& info,
                                               const std::vector<CitedAttestation>& attestations) {
  auto sha256 = info.hashes.find("sha256");
  if (sha256 == info.hashes.end()) {
    return make_error(Errc::invalid_input,
                      "target " + target_path + " has no sha256, which attestations name");
  }
  std::string name = target_path.substr(target_path.rfind('/') + 1);
  COCOON_ASSIGN(attest::ReleaseLabels claimed, release::target_labels(target_path, info));
  BuilderVerdict verdict;
  std::vector<attest::AttestationInput> inputs;
  std::optional<Error> other_labels;  // the first attestation of this artifact that states other labels
  for (const auto& a : attestations) {
    std::string actual = crypto::sha256_hex(a.bytes);
    if (actual != a.sha256) {
      return make_error(Errc::hash_mismatch,
                        "attestation " + a.sha256 + " cited by " + target_path + " has sha256 " + actual);
    }
    auto doc = parse_json(to_string(a.bytes), "attestation " + a.sha256);
    auto env = doc.ok() ? attest::parse_dsse_envelope(*doc) : Result<attest::DsseEnvelope>(doc.error());
    if (!env.ok()) {
      verdict.notices.push_back("attestation " + a.sha256 + " ignored: " + env.error().message);
      continue;
    }
    // An attestation counts only for the release it describes: the same bytes attested for another
    // version, recipe or commit do not make this release's labels true.
    auto st = attest::parse_statement(env->payload);
    auto labels = st.ok() ? attest::attested_labels(*st) : Result<attest::ReleaseLabels>(st.error());
    if (!labels.ok()) {
      verdict.notices.push_back("attestation " + a.sha256 + " ignored: " + labels.error().message);
      continue;
    }
    if (*labels != claimed) {
      std::string why = attest::label_difference(claimed, *labels);
      verdict.notices.push_back("attestation " + a.sha256 + " ignored: it describes " +
                                attest::describe_labels(*labels));
      if (!other_labels)
        other_labels = make_error(Errc::label_mismatch, "target " + target_path + " claims " + why +
                                                            " (attestation " + a.sha256.substr(0, 12) + "…)");
      continue;
    }
    inputs.push_back({a.sha256, std::move(env.value())});
  }
  auto refuse = [&](std::size_t backing) {
    if (other_labels) return *other_labels;
    return make_error(Errc::builder_agreement, "target " + target_path + " (sha256 " + sha256->second +
                                                   ") is backed by " + std::to_string(backing) +
                                                   " trusted builder(s), the policy requires " +
                                                   std::to_string(policy.builder_threshold));
  };
  if (inputs.empty() || policy.builder_keys.empty()) return refuse(0);
  attest::CompareOptions options;
  options.threshold = policy.builder_threshold;
  COCOON_ASSIGN(attest::CompareReport report,
                attest::compare_attestations(inputs, policy.builder_keys, options));
  for (const auto& n : report.ignored) verdict.notices.push_back(n.source + ": " + n.message);
  for (const auto& artifact : report.artifacts) {
    if (artifact.name != name) continue;
    for (const auto& backing : artifact.digests) {
      if (backing.sha256 != sha256->second) continue;
      // Also refused when another digest is backed as strongly: the builders do not single out one.
      if (!artifact.reproduced || artifact.agreed_sha256 != sha256->second)
        return refuse(backing.builders.size());
      for (const auto& b : backing.builders) verdict.builders.push_back(b.name.empty() ? b.keyid : b.name);
      return verdict;
    }
  }
  return refuse(0);
}

}  // namespace cocoon::verify
