#include "verify/fetcher.hpp"

#include <system_error>

#include "core/file_io.hpp"

namespace cocoon::verify {

namespace {

Error too_large(const std::string& where, std::uint64_t max_bytes) {
  return make_error(Errc::hash_mismatch, where + " is longer than the " + std::to_string(max_bytes) +
                                             " bytes allowed (endless data)");
}

}  // namespace

Status check_relative_path(const std::string& path) {
  bool bad = path.empty() || path.front() == '/' || path.find('\\') != std::string::npos ||
             path.find('\0') != std::string::npos;
  std::size_t start = 0;
  while (!bad && start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    bad = part.empty() || part == "." || part == "..";
    start = end + 1;
  }
  if (bad) return make_error(Errc::invalid_input, "refusing repository path \"" + path + "\"");
  return Ok{};
}

Result<Bytes> DirFetcher::fetch(const std::string& path, std::uint64_t max_bytes) {
  COCOON_TRY(check_relative_path(path));
  std::filesystem::path file = root_ / path;
  std::error_code ec;
  auto status = std::filesystem::status(file, ec);
  if (ec || !std::filesystem::exists(status))
    return make_error(Errc::not_found, file.string() + " does not exist");
  if (!std::filesystem::is_regular_file(status))
    return make_error(Errc::io, file.string() + " is not a regular file");
  auto size = std::filesystem::file_size(file, ec);
  if (ec) return make_error(Errc::io, "cannot stat " + file.string() + ": " + ec.message());
  if (size > max_bytes) return too_large(file.string(), max_bytes);
  auto data = read_file(file, max_bytes);
  // The file may have grown between stat and read: read_file's own limit refuses it.
  if (!data.ok() && data.error().code == Errc::invalid_input) return too_large(file.string(), max_bytes);
  return data;
}

std::string DirFetcher::locate(const std::string& path) const {
  return (root_ / path).string();
}

Result<Bytes> MapFetcher::fetch(const std::string& path, std::uint64_t max_bytes) {
  COCOON_TRY(check_relative_path(path));
  auto it = files_.find(path);
  if (it == files_.end()) return make_error(Errc::not_found, locate(path) + " is not in the bundle");
  if (it->second.size() > max_bytes) return too_large(locate(path), max_bytes);
  return it->second;
}

Result<Bytes> RecordingFetcher::fetch(const std::string& path, std::uint64_t max_bytes) {
  auto data = inner_.fetch(path, max_bytes);
  if (data.ok()) recorded_[path] = *data;
  return data;
}

}  // namespace cocoon::verify
