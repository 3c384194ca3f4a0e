#pragma once
// Writing the release explorer: a static site (index.html, explorer.css, explorer.js and the data file
// explorer-data.json) that any web server or object store can serve. The I/O layer around site_data():
// it reads the log (checkpoint checked against the root's log key, tiles checked against the
// checkpoint's root, entries against the tiles) and the repository's log bundles, and writes the files
// atomically. Example: the log served at https://log.example/ and the site written into the log's own
// directory as explorer/ -> log_base "../", and the page reads ../checkpoint and ../tile/… itself.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "release/roles.hpp"
#include "tlog/tile.hpp"

namespace cocoon::explorer {

struct SiteOptions {
  tlog::TileFetcher* log = nullptr;     // the log's files
  tlog::TileFetcher* repo = nullptr;    // the repository's files (log/<V>.targets.bundle.json)
  release::Root root;                   // the trusted root: the log key, witnesses, maintainers, builders
  std::filesystem::path out;            // the site directory (created)
  std::string log_base = "../";         // where the page reads the log, relative to index.html or a URL
  std::string repo_label;               // how the page's commands name the repository
  std::uint64_t max_entries = 1000000;  // a bigger log is refused: the generator holds every entry
};

struct SiteSummary {
  std::uint64_t log_size = 0;
  std::size_t releases = 0, verdicts = 0, candidates = 0;
  std::filesystem::path index;  // out/index.html
};

// Errors: signature (checkpoint not signed by the root's log key), log_inconsistent (tiles do not
// hash to the checkpoint's root), hash_mismatch (an entry does not match its tile), invalid_input
// (a bad log base, a root without a Cocoon policy, a log larger than max_entries), network, io.
Result<SiteSummary> write_site(const SiteOptions& options);

// A log base the page can use: a relative path ("../", "log/") or an http(s) URL, ending in '/',
// without quotes, backslashes, control characters or whitespace. Errc::invalid_input otherwise.
Status check_log_base(const std::string& base);

}  // namespace cocoon::explorer
