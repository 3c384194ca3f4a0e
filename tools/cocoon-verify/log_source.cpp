#include "cocoon-verify/log_source.hpp"

#include <filesystem>

#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/witness_client.hpp"

namespace cocoon::tools::verify {

Result<std::unique_ptr<tlog::TileFetcher>> open_log(const std::string& url_or_dir) {
  if (url_or_dir.empty()) return std::unique_ptr<tlog::TileFetcher>{};
  if (url_or_dir.starts_with("http://") || url_or_dir.starts_with("https://")) {
    COCOON_ASSIGN(auto http, tlog::HttpFetcher::create(url_or_dir));
    return std::unique_ptr<tlog::TileFetcher>(std::make_unique<tlog::HttpFetcher>(std::move(http)));
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(url_or_dir, ec))
    return make_error(Errc::not_found, "--log " + url_or_dir + " is neither an http(s) URL nor a directory");
  return std::unique_ptr<tlog::TileFetcher>(std::make_unique<tlog::DirFetcher>(url_or_dir));
}

cocoon::verify::CheckpointCosigner witness_cosigner(std::vector<std::string> urls, long timeout_seconds) {
  if (urls.empty()) return {};
  return [urls = std::move(urls), timeout_seconds](const std::string& note,
                                                   const cocoon::verify::ConsistencyProof& prove,
                                                   std::vector<std::string>& problems) {
    std::vector<tlog::NoteSignature> out;
    for (const auto& url : urls) {
      auto lines = tlog::request_cosignature({url, timeout_seconds}, note, prove);
      if (!lines.ok()) {
        problems.push_back(url + ": " + lines.error().message);
        continue;
      }
      out.insert(out.end(), lines->begin(), lines->end());
    }
    return out;
  };
}

}  // namespace cocoon::tools::verify
