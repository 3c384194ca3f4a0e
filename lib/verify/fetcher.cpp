#include "verify/fetcher.hpp"

#include <system_error>

#include "core/file_io.hpp"

namespace cocoon::verify {

namespace {

Error too_large(const std::string& where, std::uint64_t max_bytes) {
  return make_error(Errc::hash_mismatch, where + " is longer than the " + std::to_string(max_bytes) +
                                             " bytes allowed (endless data)");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "%XX" -> the byte XX, as a web server maps a URL path to a file name.
Result<std::string> percent_decode(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out += path[i];
      continue;
    }
    int hi = i + 2 < path.size() ? hex_value(path[i + 1]) : -1;
    int lo = i + 2 < path.size() ? hex_value(path[i + 2]) : -1;
    if (hi < 0 || lo < 0) return make_error(Errc::invalid_input, "bad percent-encoding in \"" + path + "\"");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
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
  // Decoded as a web server would, then checked again: "%2E%2E" must not climb out either.
  COCOON_ASSIGN(std::string decoded, percent_decode(path));
  COCOON_TRY(check_relative_path(decoded));
  std::filesystem::path file = root_ / decoded;
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
