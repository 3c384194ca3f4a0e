// cocoon-verify update --repo URL_OR_DIR | --bundle FILE --root ROOT --state DIR [--target NAME
// --download DEST] [--json]: may this node install the update? One line per check, then ACCEPT or
// REJECT with the reason; the exit code names the class of refusal (docs/exit-codes.md).
#include <cstdio>

#include "cocoon-verify/commands.hpp"
#include "cocoon-verify/log_source.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "verify/repo_source.hpp"
#include "verify/trusted_set.hpp"
#include "verify/updater.hpp"

namespace cocoon::tools::verify {
namespace {

struct UpdateArgs {
  std::string repo, bundle, root, state, product, target, download, log;
  std::vector<std::string> witnesses;
  std::uint64_t require_rebuilds = 0;
  long stall_seconds = 10;
  bool json = false;
};

void print_text(const cocoon::verify::UpdateReport& r, int code) {
  for (const auto& c : r.checks) {
    // A refusal's message usually starts with what was checked; the column already says it.
    std::string_view detail = c.detail;
    if (detail.starts_with(c.name + ": ")) detail.remove_prefix(c.name.size() + 2);
    // Details quote role names, target paths and errors from the mirror: escaped, so that none can
    // end the line and forge an "ok" or ACCEPT line, or hide text with terminal controls.
    std::printf("%-6s %-16s %s\n",
                !c.ok       ? "FAIL"
                : c.warning ? "WARN"
                            : "ok",
                printable(c.name).c_str(), printable(detail).c_str());
  }
  if (r.accepted()) {
    std::printf("ACCEPT%s\n", r.cocoon_policy ? "" : " (plain TUF: the root carries no Cocoon policy)");
  } else {
    std::printf("REJECT (exit %d, %s): %s\n", code, errc_name(r.error->code),
                printable(r.error->message).c_str());
  }
}

void print_json(const cocoon::verify::UpdateReport& r, int code) {
  Json checks = Json::array();
  for (const auto& c : r.checks) {
    Json line = {{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}};
    if (c.warning) line["warning"] = true;
    checks.push_back(line);
  }
  Json out = {{"verdict", r.accepted() ? "ACCEPT" : "REJECT"},
              {"exit_code", code},
              {"mode", r.cocoon_policy ? "cocoon" : "plain-tuf"},
              {"versions",
               {{"root", r.root_version},
                {"timestamp", r.timestamp_version},
                {"snapshot", r.snapshot_version},
                {"targets", r.targets_version}}},
              {"checks", checks}};
  if (!r.product_version.empty()) out["product_version"] = r.product_version;
  if (!r.warnings.empty()) out["warnings"] = r.warnings;
  if (r.error) out["reason"] = {{"class", errc_name(r.error->code)}, {"message", r.error->message}};
  std::printf("%s", pretty_json(out).c_str());
}

int update_command(const UpdateArgs& a) {
  if (!a.download.empty() && a.target.empty()) {
    return report("cocoon-verify", make_error(Errc::invalid_input, "--download needs --target"));
  }
  if (!a.witnesses.empty() && a.log.empty()) {
    return report("cocoon-verify", make_error(Errc::invalid_input, "--witness needs --log"));
  }
  cocoon::verify::HttpLimits limits;
  limits.stall_seconds = a.stall_seconds;
  auto fetcher = cocoon::verify::open_repository(a.repo, a.bundle, limits);
  if (!fetcher.ok()) return report("cocoon-verify", fetcher.error());
  cocoon::verify::UpdateOptions options;
  options.state = a.state;
  if (!a.root.empty()) {
    auto root = read_file(a.root, cocoon::verify::kMaxRootBytes);
    if (!root.ok()) return report("cocoon-verify", root.error());
    options.initial_root = std::move(*root);
  }
  if (!a.product.empty()) options.product = a.product;
  if (!a.target.empty()) options.target = a.target;
  if (!a.download.empty()) options.download = a.download;
  options.now = now_unix();
  options.require_rebuilds = a.require_rebuilds;
  auto log = open_log(a.log);
  if (!log.ok()) return report("cocoon-verify", log.error());
  options.rebuild_log = log->get();
  options.rebuild_cosigner = witness_cosigner(a.witnesses, a.stall_seconds);
  cocoon::verify::UpdateReport r = cocoon::verify::run_update(**fetcher, options);
  int code = r.accepted() ? kExitOk : exit_code_for(r.error->code);
  if (a.json) {
    print_json(r, code);
  } else {
    print_text(r, code);
  }
  if (!r.accepted()) report("cocoon-verify", *r.error);
  return code;
}

}  // namespace

void add_update_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<UpdateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "update", "verify an update (TUF + log + witnesses + builders) and optionally download a target");
  cmd->add_option("--repo", args->repo, "repository: an http(s) URL or a directory");
  cmd->add_option("--bundle", args->bundle,
                  "offline bundle written by `cocoon-verify bundle` (instead of --repo)");
  cmd->add_option("--root", args->root, "the initially trusted root.json (used when --state holds none yet)");
  cmd->add_option("--state", args->state, "this node's trusted state directory")->required();
  cmd->add_option("--product", args->product,
                  "the product this node runs (e.g. sample-node): its latest release; --target may then be "
                  "an artifact name");
  cmd->add_option("--target", args->target, "target path to check (and download with --download)");
  cmd->add_option("--download", args->download, "where to write the verified target");
  cmd->add_option("--stall-timeout", args->stall_seconds,
                  "seconds without data before a mirror counts as stalled")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--require-rebuilds", args->require_rebuilds,
                  "also require this many builders of the root to have logged \"reproduced\" for the release "
                  "after it (docs/node-operators.md; default 0: off)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--log", args->log,
                  "the transparency log to read rebuild verdicts from: an http(s) URL or a directory");
  cmd->add_option(
      "--witness", args->witnesses,
      "a witness URL asked to cosign the log's checkpoint read for --require-rebuilds (repeatable)");
  cmd->add_flag("--json", args->json, "print the verdict and every check as JSON");
  cmd->callback([args, &exit_code] { exit_code = update_command(*args); });
}

}  // namespace cocoon::tools::verify
