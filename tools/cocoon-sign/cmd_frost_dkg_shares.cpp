// `cocoon-sign frost dkg shares`: round 2 of the distributed key generation.
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_dkg_shares_command(CLI::App& dkg, int& exit_code) {
  struct Args {
    SecretOption state{"state", "FROST state"};
    std::string out_dir;
    std::vector<std::string> round1;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = dkg.add_subcommand(
      "shares", "check every round-1 package; write one encrypted share per other participant");
  add_secret_option(cmd, args->state, "this participant's private state directory")->required();
  cmd->add_option("--round1", args->round1, "all round-1 packages (files or directories of *.json)")
      ->required();
  cmd->add_option("--out-dir", args->out_dir, "directory for the round-2 messages (public)")->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->state, false);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r = frost::ceremony_dkg_shares(*state, to_paths(args->round1), args->out_dir);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    for (const auto& e : r->excluded)
      std::printf("excluded participant %u: %s\n", e.id, printable(e.reason).c_str());
    std::printf("round-1 set digest %s; %zu round-2 messages written to %s\n",
                printable(hex_encode(r->round1_digest)).c_str(), r->messages.size(),
                printable(args->out_dir).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
