// `cocoon-sign frost aggregate`: check every share and combine them into one Ed25519 signature.
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_aggregate_command(CLI::App& frost, int& exit_code) {
  struct Args {
    std::string group, message, out;
    std::vector<std::string> commitments, shares;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = frost.add_subcommand(
      "aggregate", "verify each share (naming any invalid one) and write the 64-byte Ed25519 signature");
  cmd->add_option("MESSAGE", args->message, "the message or TUF draft that was signed")->required();
  cmd->add_option("--group", args->group, "the public group file")->required();
  cmd->add_option("--commitments", args->commitments, "the signers' commitments (files or directories)")
      ->required();
  cmd->add_option("--shares", args->shares, "the signature shares (files or directories)")->required();
  cmd->add_option("--out", args->out, "where to write the raw 64-byte signature")->required();
  cmd->callback([args, &exit_code] {
    auto r = frost::ceremony_aggregate(args->group, args->message, to_paths(args->commitments),
                                       to_paths(args->shares), args->out);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("%s\n", hex_encode(*r).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
