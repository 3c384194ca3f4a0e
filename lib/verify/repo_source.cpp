#include "verify/repo_source.hpp"

#include <filesystem>

#include "core/file_io.hpp"
#include "verify/offline_bundle.hpp"

namespace cocoon::verify {

Result<std::unique_ptr<Fetcher>> open_repository(const std::string& repo, const std::string& bundle,
                                                 const HttpLimits& limits) {
  if (repo.empty() == bundle.empty())
    return make_error(Errc::invalid_input, "give exactly one of --repo and --bundle");
  if (!bundle.empty()) {
    COCOON_ASSIGN(Bytes data, read_file(bundle, kMaxOfflineBundleBytes));
    COCOON_ASSIGN(BundleFiles files, parse_offline_bundle(data));
    return std::unique_ptr<Fetcher>(std::make_unique<MapFetcher>(std::move(files), bundle));
  }
  if (is_http_url(repo)) {
    COCOON_ASSIGN(auto http, HttpRepoFetcher::create(repo, limits));
    return std::unique_ptr<Fetcher>(std::move(http));
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(repo, ec)) {
    return make_error(Errc::not_found, "repository directory " + repo + " does not exist");
  }
  return std::unique_ptr<Fetcher>(std::make_unique<DirFetcher>(repo));
}

}  // namespace cocoon::verify
