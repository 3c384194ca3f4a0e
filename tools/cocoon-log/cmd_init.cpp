// cocoon-log init --dir D --origin NAME --key KEY [--json]: creates an empty log signed by KEY and
// prints its verifier key (the line a root's --log-vkey and a witness's --logs file take).
#include <cstdio>
#include <filesystem>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::tools::log {

void add_init_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string dir, origin;
    SecretOption key = signing_key_option("log key");
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("init", "create an empty log directory");
  cmd->add_option("--dir", args->dir, "log directory to create")->required();
  cmd->add_option("--origin", args->origin, "log origin, e.g. example.org/cocoon-releases")->required();
  add_secret_option(cmd, args->key, "log signing key (cocoon secret key file or C2SP signer key)")
      ->required();
  cmd->add_flag("--json", args->json, "print the origin, directory and verifier key as JSON");
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
    Json config = {{"origin", args->origin}, {"key", std::filesystem::absolute(args->key.path).string()}};
    if (auto st = write_file_atomic(std::filesystem::path(args->dir) / "log.json", pretty_json(config));
        !st) {
      exit_code = report(kTool, st.error());
      return;
    }
    std::string vkey = tlog::format_verifier_key(signer->verifier());
    if (args->json) {
      print_json({{"origin", args->origin}, {"dir", args->dir}, {"vkey", vkey}});
    } else {
      std::printf("%s\n", vkey.c_str());
    }
  });
}

}  // namespace cocoon::tools::log
