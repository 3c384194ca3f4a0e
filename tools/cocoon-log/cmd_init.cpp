// cocoon-log init --dir D --origin NAME --key KEY: creates an empty log signed by KEY.
#include <cstdio>
#include <filesystem>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "common/exit_codes.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::tools::log {

void add_init_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string dir, origin, key;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("init", "create an empty log directory");
  cmd->add_option("--dir", args->dir, "log directory to create")->required();
  cmd->add_option("--origin", args->origin, "log origin, e.g. example.org/cocoon-releases")->required();
  cmd->add_option("--key", args->key, "log signing key (cocoon secret key file or C2SP signer key)")
      ->required();
  cmd->callback([args, &exit_code] {
    auto signer = load_note_signer(args->key, args->origin);
    if (!signer) {
      exit_code = report(kTool, signer.error());
      return;
    }
    if (auto st = tlog::LogWriter::create(args->dir, *signer); !st) {
      exit_code = report(kTool, st.error());
      return;
    }
    // Remember which key signs this log so `add` and `serve` need only --dir.
    Json config = {{"origin", args->origin}, {"key", std::filesystem::absolute(args->key).string()}};
    if (auto st = write_file_atomic(std::filesystem::path(args->dir) / "log.json", pretty_json(config));
        !st) {
      exit_code = report(kTool, st.error());
      return;
    }
    std::printf("%s\n", tlog::format_verifier_key(signer->verifier()).c_str());
  });
}

}  // namespace cocoon::tools::log
