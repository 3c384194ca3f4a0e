// `cocoon-sign frost keygen --dealer`: trusted-dealer key generation, for tests and demonstrations.
#include <cstdio>
#include <cstdlib>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"

namespace cocoon::tools::sign {

void add_frost_keygen_command(CLI::App& frost, int& exit_code) {
  struct Args {
    bool dealer = false;
    SecretOption out_dir{"out-dir", "FROST shares"};
    std::uint32_t threshold = 0, participants = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = frost.add_subcommand(
      "keygen",
      "trusted-dealer key generation (the dealer sees the group secret: tests only; use `dkg` otherwise)");
  cmd->add_flag("--dealer", args->dealer, "acknowledge that one machine generates and sees every share")
      ->required();
  cmd->add_option("--threshold", args->threshold, "signers needed (t)")->required();
  cmd->add_option("--participants", args->participants, "participants in the group (n)")->required();
  add_secret_option(cmd, args->out_dir, "writes group.json and participant-<i>/ state directories")
      ->required();
  cmd->callback([args, &exit_code] {
    auto state = participant_state(args->out_dir, true);
    if (!state.ok()) {
      exit_code = report("cocoon-sign", state.error());
      return;
    }
    auto r = frost::ceremony_dealer_keygen({args->threshold, args->participants}, args->out_dir.path,
                                           state->passphrase);
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("group public key %s (%u of %u); shares in %s/participant-<i>/\n",
                printable(r->group_public_key.hex()).c_str(), r->params.threshold, r->params.max_participants,
                printable(args->out_dir.path).c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
