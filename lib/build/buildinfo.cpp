#include <algorithm>

#include "build/build_result.hpp"
#include "build/run.hpp"
#include "core/file_io.hpp"

namespace cocoon::build {

Json buildinfo_json(const BuildResult& r) {
  Json j;
  j["schema"] = "cocoon-buildinfo/v1";
  j["recipe"] = {
      {"name", r.recipe.name}, {"version", r.recipe.version}, {"digest", {{"sha256", r.recipe.digest}}}};
  j["source"] = {{"url", r.source_url}, {"commit", r.source_commit}, {"tree", r.source_tree}};
  j["source_date_epoch"] = r.source_date_epoch;
  Json tools = Json::array();
  for (const auto& t : r.toolchain) tools.push_back({{"name", t.name}, {"version", t.version}});
  j["toolchain"] = tools;
  j["environment"] = r.environment.is_null() ? Json::object() : r.environment;
  Json arts = Json::array();
  for (const auto& a : r.artifacts)
    arts.push_back({{"name", a.name}, {"size", a.size}, {"digest", {{"sha256", a.sha256}}}});
  j["artifacts"] = arts;
  return j;
}

Status write_run_outputs(const BuildResult& r) {
  std::vector<const ArtifactResult*> sorted;
  for (const auto& a : r.artifacts) sorted.push_back(&a);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
  std::string sums;
  for (const auto* a : sorted) sums += a->sha256 + "  " + a->name + "\n";
  COCOON_TRY(write_file_atomic(r.out_dir / "SHA256SUMS", std::string_view(sums)));
  return write_file_atomic(r.out_dir / "buildinfo.json", std::string_view(pretty_json(buildinfo_json(r))));
}

}  // namespace cocoon::build
