// `cocoon-sign frost`: FROST(Ed25519, SHA-512) threshold signing (docs/frost.md).
#include "commands.hpp"

namespace cocoon::tools::sign {

void add_frost_command(CLI::App& app, int& exit_code) {
  CLI::App* frost =
      app.add_subcommand("frost", "FROST threshold signing: t of n maintainers, one Ed25519 signature");
  frost->require_subcommand(1);
  CLI::App* dkg =
      frost->add_subcommand("dkg", "distributed key generation (no dealer, nobody holds the group key)");
  dkg->require_subcommand(1);
  add_frost_dkg_start_command(*dkg, exit_code);
  add_frost_dkg_shares_command(*dkg, exit_code);
  add_frost_dkg_finish_command(*dkg, exit_code);
  add_frost_keygen_command(*frost, exit_code);
  add_frost_commit_command(*frost, exit_code);
  add_frost_sign_command(*frost, exit_code);
  add_frost_aggregate_command(*frost, exit_code);
}

}  // namespace cocoon::tools::sign
