// cocoon-verify bundle --repo URL_OR_DIR --root ROOT [--target NAME] [--log URL_OR_DIR [--witness URL]
// [--require-rebuilds K]] --out FILE: verifies the repository from ROOT and writes every file that
// verification read into one offline bundle, for `cocoon-verify update --bundle FILE` on a node without
// network. With --log it also carries the rebuild verdicts logged after the target's release, with
// their proofs, for `update --require-rebuilds` offline.
#include <cstdio>

#include "cocoon-verify/commands.hpp"
#include "cocoon-verify/log_source.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "verify/offline_bundle.hpp"
#include "verify/repo_source.hpp"
#include "verify/trusted_set.hpp"

namespace cocoon::tools::verify {

void add_bundle_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string repo, root, target, out, log;
    std::vector<std::string> witnesses;
    std::uint64_t require_rebuilds = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("bundle", "write everything one update needs into a file, for offline verification");
  cmd->add_option("--repo", args->repo, "repository: an http(s) URL or a directory")->required();
  cmd->add_option("--root", args->root, "the oldest root the receiving nodes may trust")->required();
  cmd->add_option("--target", args->target, "include this target file");
  cmd->add_option("--log", args->log,
                  "also carry the rebuild verdicts of --target's release from this transparency log (URL or "
                  "directory)");
  cmd->add_option("--witness", args->witnesses,
                  "a witness URL asked to cosign the log's checkpoint read with --log (repeatable)");
  cmd->add_option("--require-rebuilds", args->require_rebuilds,
                  "refuse to write a bundle whose release has fewer reproduced verdicts (default 0)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--out", args->out, "the bundle file to write")->required();
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::size_t> {
      COCOON_ASSIGN(auto fetcher,
                    cocoon::verify::open_repository(args->repo, "", cocoon::verify::HttpLimits{}));
      COCOON_ASSIGN(Bytes root, read_file(args->root, cocoon::verify::kMaxRootBytes));
      std::optional<std::string> target;
      if (!args->target.empty()) target = args->target;
      if ((!args->log.empty() || args->require_rebuilds > 0) && !target)
        return make_error(Errc::invalid_input, "--log and --require-rebuilds need --target (which release)");
      if (args->log.empty() && (args->require_rebuilds > 0 || !args->witnesses.empty()))
        return make_error(Errc::invalid_input, "--require-rebuilds and --witness need --log");
      COCOON_ASSIGN(auto log, open_log(args->log));
      cocoon::verify::BundleRebuilds rebuilds;
      rebuilds.log = log.get();
      rebuilds.cosigner = witness_cosigner(args->witnesses, 30);
      rebuilds.require_rebuilds = args->require_rebuilds;
      COCOON_ASSIGN(cocoon::verify::BundleFiles files,
                    cocoon::verify::collect_offline_bundle(*fetcher, root, target, now_unix(), rebuilds));
      COCOON_TRY(write_file_atomic(args->out, cocoon::verify::format_offline_bundle(files)));
      return files.size();
    };
    auto r = run();
    if (!r.ok()) {
      exit_code = report("cocoon-verify", r.error());
      return;
    }
    std::printf("wrote %s: %zu files, verified from %s\n", printable(args->out).c_str(), *r,
                printable(args->root).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::verify
