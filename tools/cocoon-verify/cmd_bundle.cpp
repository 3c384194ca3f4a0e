// cocoon-verify bundle --repo URL_OR_DIR --root ROOT [--target NAME] --out FILE: verifies the
// repository from ROOT and writes every file that verification read into one offline bundle, for
// `cocoon-verify update --bundle FILE` on a node without network.
#include <cstdio>

#include "cocoon-verify/commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "verify/offline_bundle.hpp"
#include "verify/repo_source.hpp"
#include "verify/trusted_set.hpp"

namespace cocoon::tools::verify {

void add_bundle_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string repo, root, target, out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("bundle", "write everything one update needs into a file, for offline verification");
  cmd->add_option("--repo", args->repo, "repository: an http(s) URL or a directory")->required();
  cmd->add_option("--root", args->root, "the oldest root the receiving nodes may trust")->required();
  cmd->add_option("--target", args->target, "include this target file");
  cmd->add_option("--out", args->out, "the bundle file to write")->required();
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::size_t> {
      COCOON_ASSIGN(auto fetcher,
                    cocoon::verify::open_repository(args->repo, "", cocoon::verify::HttpLimits{}));
      COCOON_ASSIGN(Bytes root, read_file(args->root, cocoon::verify::kMaxRootBytes));
      std::optional<std::string> target;
      if (!args->target.empty()) target = args->target;
      COCOON_ASSIGN(cocoon::verify::BundleFiles files,
                    cocoon::verify::collect_offline_bundle(*fetcher, root, target, now_unix()));
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
