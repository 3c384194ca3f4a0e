#include "tlog/dir_fetcher.hpp"

#include "core/file_io.hpp"

namespace cocoon::tlog {

Result<Bytes> DirFetcher::fetch(const std::string& path) {
  if (path.empty() || path[0] == '/' || path.find("..") != std::string::npos)
    return make_error(Errc::invalid_input, "refusing log path '" + path + "'");
  return read_file(root_ / path, kMaxLogFileSize);
}

}  // namespace cocoon::tlog
