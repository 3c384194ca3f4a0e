#pragma once
// Where the updater reads a repository's files from: a directory, HTTP(S), or an offline bundle. A
// fetcher never trusts what it reads; it only bounds how much it reads, because the caller knows how
// long a file may be (from the metadata, or a fixed cap for files whose length is not yet known).
//
// Example: DirFetcher("/srv/repo").fetch("metadata/2.root.json", 512000) reads that file if it is at
// most 512000 bytes; a 600000-byte file is refused as endless data (Errc::hash_mismatch) without being
// read, a missing one is Errc::not_found (which ends the root chain).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::verify {

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // `path` is relative to the repository ("metadata/timestamp.json"). Errors: not_found (absent),
  // hash_mismatch (more than max_bytes: endless data), network / io (transport), invalid_input (a path
  // with "..", a leading '/' or a backslash).
  virtual Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) = 0;
  // Where `path` is, for messages ("/srv/repo/metadata/timestamp.json", "http://…").
  virtual std::string locate(const std::string& path) const = 0;
};

// Refuses paths a lying metadata file could use to escape the repository.
Status check_relative_path(const std::string& path);

// Reads `path` percent-decoded, as a web server serving the directory would ("metadata/1.team%20a.json"
// is the file "metadata/1.team a.json"), so a directory and its HTTP mirror give the same answers.
class DirFetcher : public Fetcher {
 public:
  explicit DirFetcher(std::filesystem::path root) : root_(std::move(root)) {}
  Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) override;
  std::string locate(const std::string& path) const override;

 private:
  std::filesystem::path root_;
};

// Serves files held in memory (an offline bundle): nothing outside the map exists.
class MapFetcher : public Fetcher {
 public:
  explicit MapFetcher(std::map<std::string, Bytes> files, std::string name)
      : files_(std::move(files)), name_(std::move(name)) {}
  Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) override;
  std::string locate(const std::string& path) const override { return name_ + ":" + path; }

 private:
  std::map<std::string, Bytes> files_;
  std::string name_;
};

// Passes requests through and remembers every file that was read successfully (to write a bundle).
class RecordingFetcher : public Fetcher {
 public:
  explicit RecordingFetcher(Fetcher& inner) : inner_(inner) {}
  Result<Bytes> fetch(const std::string& path, std::uint64_t max_bytes) override;
  std::string locate(const std::string& path) const override { return inner_.locate(path); }
  const std::map<std::string, Bytes>& recorded() const { return recorded_; }

 private:
  Fetcher& inner_;
  std::map<std::string, Bytes> recorded_;
};

}  // namespace cocoon::verify
