// `cocoon-sign frost dkg finish`: verify the received shares and derive this participant's key.
#include <cstdio>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_dkg_finish_command(CLI::App& dkg, int& exit_code) {
  struct Args {
    SecretOption state{"state", "FROST state"};
    std::string group_out;
    std::vector<std::string> round1, round2;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = dkg.add_subcommand(
      "finish", "verify shares against commitments; store the signing share; write the public group file");
  add_secret_option(cmd, args->state, "this participant's private state directory")->required();
  cmd->add_option("--round1", args->round1, "all round-1 packages (files or directories of *.json)")
      ->required();
  cmd->add_option("--round2", args->round2, "round-2 messages (those addressed to others are ignored)")
      ->required();
  cmd->add_option("--group-out", args->group_out, "where to write the public group file")->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->state, false);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r =
        frost::ceremony_dkg_finish(*state, to_paths(args->round1), to_paths(args->round2), args->group_out);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    for (const auto& e : r->excluded)
      std::printf("excluded participant %u: %s\n", e.id, printable(e.reason).c_str());
    std::string qualified;
    for (auto id : r->qualified) qualified += (qualified.empty() ? "" : ",") + std::to_string(id);
    std::printf("participant %u: group public key %s (threshold %u, qualified %s)\n", r->key.id,
                printable(r->key.public_package.group_public_key.hex()).c_str(),
                r->key.public_package.params.threshold, printable(qualified).c_str());
    std::printf("compare this group public key with every other participant's before using it\n");
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
