#include "attest/from_build.hpp"

#include "core/file_io.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"

namespace cocoon::attest {

Statement statement_from_build(const build::BuildResult& result, const crypto::PublicKey& builder,
                               const std::string& display_name) {
  Statement st;
  st.predicate_type = kSlsaProvenanceV1;
  for (const auto& a : result.artifacts) st.subjects.push_back(Subject{a.name, a.sha256});

  Json external{{"recipe", Json{{"name", result.recipe.name},
                                {"version", result.recipe.version},
                                {"digest", Json{{"sha256", result.recipe.digest}}}}},
                {"source", Json{{"url", result.recipe.source_url}, {"commit", result.recipe.source_commit}}}};
  Json deps = Json::array();
  // The recipe's URL, not a local --source override, so honest builders describe the same source.
  deps.push_back(Json{{"uri", "git+" + result.recipe.source_url + "@" + result.source_commit},
                      {"digest", Json{{"gitCommit", result.source_commit}}}});
  for (const auto& tool : result.toolchain)
    deps.push_back(Json{{"name", tool.name},
                        {"uri", "urn:cocoon-release:tool:" + tool.name},
                        {"annotations", Json{{"version", tool.version}}}});

  const std::string buildinfo = pretty_json(build::buildinfo_json(result));
  Json run{
      {"builder", Json{{"id", builder_id_for_keyid(builder.keyid)}, {"name", display_name}}},
      {"metadata", Json{{"invocationId", builder.keyid + "/" + std::to_string(result.started)},
                        {"startedOn", format_rfc3339(result.started)},
                        {"finishedOn", format_rfc3339(result.finished)}}},
      {"byproducts",
       Json::array({Json{{"name", "buildinfo.json"},
                         {"digest", Json{{"sha256", crypto::sha256_hex(std::string_view(buildinfo))}}}}})}};
  st.predicate = Json{
      {"buildDefinition", Json{{"buildType", kCocoonBuildType},
                               {"externalParameters", external},
                               {"internalParameters", Json{{"sourceDateEpoch", result.source_date_epoch}}},
                               {"resolvedDependencies", deps}}},
      {"runDetails", run}};
  return st;
}

DsseEnvelope attest_build(const build::BuildResult& result, const crypto::SecretKey& key,
                          const std::string& display_name) {
  auto pub = key.public_key();
  return sign_statement(statement_from_build(result, pub, display_name.empty() ? key.name : display_name),
                        key);
}

Result<std::filesystem::path> write_build_attestation(const build::BuildResult& result,
                                                      const crypto::SecretKey& key,
                                                      const std::string& display_name) {
  auto path = result.out_dir / kAttestationFileName;
  COCOON_TRY(save_dsse_envelope(path, attest_build(result, key, display_name)));
  return path;
}

}  // namespace cocoon::attest
