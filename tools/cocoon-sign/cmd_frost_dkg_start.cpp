// `cocoon-sign frost dkg start`: round 1 of the distributed key generation.
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_dkg_start_command(CLI::App& dkg, int& exit_code) {
  struct Args {
    SecretOption state{"state", "FROST state"};
    std::string session, out;
    std::uint32_t id = 0, threshold = 0, participants = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = dkg.add_subcommand(
      "start", "make this participant's secret polynomial; write the public round-1 package");
  add_secret_option(cmd, args->state, "this participant's private state directory (created)")->required();
  cmd->add_option("--session", args->session, "ceremony name, the same for every participant")->required();
  cmd->add_option("--id", args->id, "this participant's identifier, 1..participants")->required();
  cmd->add_option("--threshold", args->threshold, "signers needed (t)")->required();
  cmd->add_option("--participants", args->participants, "participants in the group (n)")->required();
  cmd->add_option("--out", args->out, "where to write the round-1 package (public)")->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->state, true);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r = frost::ceremony_dkg_start(*state, args->session, {args->threshold, args->participants}, args->id,
                                       args->out);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("round-1 package of participant %u written to %s\n", args->id, printable(args->out).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
