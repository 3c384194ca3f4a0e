// cocoon-log explore --dir|--url LOG --repo REPO --root ROOT.json --out SITE [--log-base URL_PATH]
// [--max-entries N] [--json]: writes the release explorer, a static site (docs/explorer.md) that shows
// every release, rebuild verdict and the log's growth, and re-verifies the checkpoint, the witness
// cosignatures and the inclusion of every entry it shows in the reader's browser.
#include <cstdio>
#include <filesystem>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "explorer/site.hpp"
#include "release/threshold.hpp"

namespace cocoon::tools::log {

namespace {

// A repository is read like a log: a directory or an http(s) base URL.
Result<std::unique_ptr<tlog::TileFetcher>> open_repo(const std::string& repo) {
  LogSource src;
  (repo.starts_with("http://") || repo.starts_with("https://") ? src.url : src.dir) = repo;
  return open_source(src);
}

Result<release::Root> load_root(const std::string& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 20));
  COCOON_ASSIGN(release::Envelope env, release::parse_envelope_text(text, path));
  return release::verify_root_self_signed(env);
}

}  // namespace

void add_explore_command(CLI::App& app, int& exit_code) {
  struct Args {
    LogSource src;
    std::string repo, root, out, log_base;
    std::uint64_t max_entries = 1000000;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("explore", "write the release explorer, a static site that verifies in the browser");
  cmd->add_option("--dir", args->src.dir, "log directory");
  cmd->add_option("--url", args->src.url, "log base URL");
  cmd->add_option("--repo", args->repo, "release repository (directory or URL)")->required();
  cmd->add_option("--root", args->root, "trusted root.json (its log key, witnesses, maintainers, builders)")
      ->required();
  cmd->add_option("--out", args->out, "site directory to write")->required();
  cmd->add_option("--log-base", args->log_base,
                  "where the page reads the log, relative to the page or a URL (default: ../, or --url)");
  cmd->add_option("--max-entries", args->max_entries, "refuse a log with more entries (default 1000000)");
  cmd->add_flag("--json", args->json, "print what was written as JSON");
  cmd->callback([args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    auto log = open_source(args->src);
    if (!log) return fail(log.error());
    auto repo = open_repo(args->repo);
    if (!repo) return fail(repo.error());
    auto root = load_root(args->root);
    if (!root) return fail(root.error());
    explorer::SiteOptions o;
    o.log = log->get();
    o.repo = repo->get();
    o.root = std::move(*root);
    o.out = args->out;
    o.log_base = args->log_base;
    if (o.log_base.empty()) {
      o.log_base = args->src.url.empty() ? "../" : args->src.url;
      if (o.log_base.back() != '/') o.log_base += '/';
    }
    o.repo_label = args->repo;
    o.max_entries = args->max_entries;
    auto site = explorer::write_site(o);
    if (!site) return fail(site.error());
    if (args->json) {
      print_json({{"site", site->index.parent_path().string()},
                  {"index", site->index.string()},
                  {"log_base", o.log_base},
                  {"log_size", site->log_size},
                  {"releases", site->releases},
                  {"verdicts", site->verdicts},
                  {"candidates", site->candidates}});
      return;
    }
    std::printf(
        "wrote %s: %zu release(s), %zu rebuild verdict(s), %zu candidate(s) from a log of size %llu\n",
        printable(site->index.string()).c_str(), site->releases, site->verdicts, site->candidates,
        static_cast<unsigned long long>(site->log_size));
    std::printf("the page reads the log at %s (relative to the page); serve both over HTTP\n",
                printable(o.log_base).c_str());
  });
}

}  // namespace cocoon::tools::log
