// `cocoon-sign frost commit`: signing round 1 (fresh nonces, public commitment).
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_commit_command(CLI::App& frost, int& exit_code) {
  struct Args {
    SecretOption state{"state", "FROST state"};
    std::string message, out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = frost.add_subcommand(
      "commit", "round 1: make single-use nonces bound to MESSAGE; write the public commitment");
  cmd->add_option("MESSAGE", args->message, "the bytes to sign, or a TUF draft (its canonical \"signed\")")
      ->required();
  add_secret_option(cmd, args->state, "this participant's private state directory")->required();
  cmd->add_option("--out", args->out, "where to write the commitment (public)")->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->state, false);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r = frost::ceremony_commit(*state, args->message, args->out);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("participant %u committed to message sha256 %s; commitment written to %s\n", r->commitment.id,
                printable(hex_encode(r->message_sha256)).c_str(), printable(args->out).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
