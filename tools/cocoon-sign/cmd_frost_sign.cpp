// `cocoon-sign frost sign`: signing round 2 (one signature share; the nonces are consumed).
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_sign_command(CLI::App& frost, int& exit_code) {
  struct Args {
    SecretOption state{"state", "FROST state"};
    std::string message, out;
    std::vector<std::string> commitments;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = frost.add_subcommand(
      "sign", "round 2: a signature share over MESSAGE for the chosen signers' commitments");
  cmd->add_option("MESSAGE", args->message, "the message or TUF draft committed to")->required();
  add_secret_option(cmd, args->state, "this participant's private state directory")->required();
  cmd->add_option("--commitments", args->commitments,
                  "the chosen signers' commitments (files or directories)")
      ->required();
  cmd->add_option("--out", args->out, "where to write the signature share (public)")->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->state, false);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r = frost::ceremony_sign(*state, args->message, to_paths(args->commitments), args->out);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("participant %u signature share written to %s (nonces consumed)\n", r->id,
                printable(args->out).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
