#pragma once
// Opens where an update reads a repository from: an http(s) URL, a directory, or an offline bundle
// file. Example: open_repository("https://mirror.example/cocoon/", "", limits) -> an HttpRepoFetcher;
// open_repository("", "update.bundle", limits) -> a MapFetcher over the bundle's files.
#include <memory>
#include <string>

#include "core/result.hpp"
#include "verify/fetcher.hpp"
#include "verify/http_fetcher.hpp"

namespace cocoon::verify {

// Exactly one of repo and bundle is non-empty (Errc::invalid_input otherwise); a repo that is not a URL
// must be an existing directory (Errc::not_found).
Result<std::unique_ptr<Fetcher>> open_repository(const std::string& repo, const std::string& bundle,
                                                 const HttpLimits& limits);

}  // namespace cocoon::verify
