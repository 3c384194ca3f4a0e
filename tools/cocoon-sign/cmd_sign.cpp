// `cocoon-sign sign DRAFT --key KEY`: adds this maintainer's signature over the canonical JSON of
// `signed`. Run it on the maintainer's own machine; copies signed elsewhere are joined with `merge`.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "release/draft.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

void add_sign_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string draft, key, out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("sign", "add your signature to a root or targets draft");
  cmd->add_option("draft", args->draft, "the draft (root or targets metadata)")->required();
  cmd->add_option("--key", args->key, "your secret key file (passphrase from COCOON_PASSPHRASE or a prompt)")
      ->required();
  cmd->add_option("--out", args->out, "write the signed copy here (default: update the draft in place)");
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::string> {
      COCOON_ASSIGN(release::Envelope env, load_envelope_file(args->draft));
      COCOON_ASSIGN(std::string type, release::envelope_type(env));
      if (type != release::kRoleRoot && type != release::kRoleTargets) {
        return make_error(Errc::invalid_input,
                          args->draft + " is " + type + " metadata; maintainers sign root and targets");
      }
      COCOON_ASSIGN(crypto::SecretKey key, load_signing_key(args->key));
      COCOON_TRY(release::add_signature(env, key));
      COCOON_TRY(save_envelope_file(args->out.empty() ? args->draft : args->out, env));
      return key.name + " (" + crypto::ed25519_key_id(key.pair.public_key) + ") signed " + type + " draft " +
             (args->out.empty() ? args->draft : args->out);
    };
    finish_command("cocoon-sign", run(), exit_code);
  });
}

}  // namespace cocoon::tools::sign
