// `cocoon-sign sign DRAFT --key KEY`: adds this maintainer's signature over the canonical JSON of
// `signed`. Run it on the maintainer's own machine; copies signed elsewhere are joined with `merge`.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "release/draft.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

namespace {

bool lists(const release::Root& root, const char* role, const std::string& keyid) {
  const auto& ids = root.role(role).keyids;
  return std::find(ids.begin(), ids.end(), keyid) != ids.end();
}

// Why this signature will not count, when that can be known: a root draft lists its own root keys (and
// a rotation also needs the current root's, given with --root); a targets draft needs the trusted root.
// A warning, not a refusal: signing is harmless, but finding out only at `status` wastes a round trip.
Result<std::optional<std::string>> uncounted_reason(const release::Envelope& env, const std::string& type,
                                                    const std::optional<release::Root>& trusted,
                                                    const std::string& keyid) {
  if (type == release::kRoleRoot) {
    COCOON_ASSIGN(release::Root draft, release::parse_root(env.signed_part));
    if (lists(draft, release::kRoleRoot, keyid)) return std::optional<std::string>();
    if (trusted && lists(*trusted, release::kRoleRoot, keyid)) return std::optional<std::string>();
    return std::optional<std::string>(std::string("this root draft does not list the key for its root role") +
                                      (trusted ? " and neither does the current root" : ""));
  }
  if (!trusted) return std::optional<std::string>();
  if (lists(*trusted, release::kRoleTargets, keyid)) return std::optional<std::string>();
  if (trusted->frost) {
    return std::optional<std::string>(
        "the root's targets key is a FROST group: sign with `cocoon-sign frost commit` and `frost sign`");
  }
  return std::optional<std::string>("root version " + std::to_string(trusted->common.version) +
                                    " does not list the key for the targets role");
}

}  // namespace

void add_sign_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string draft, out, root;
    SecretOption key{"key", "maintainer key"};
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("sign", "add your signature to a root or targets draft");
  cmd->add_option("draft", args->draft, "the draft (root or targets metadata)")->required();
  add_secret_option(cmd, args->key, "your secret key file")->required();
  cmd->add_option("--out", args->out, "write the signed copy here (default: update the draft in place)");
  cmd->add_option("--root", args->root,
                  "the trusted root, to warn when it does not list your key (targets; root rotation)");
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::string> {
      COCOON_ASSIGN(release::Envelope env, load_envelope_file(args->draft));
      COCOON_ASSIGN(std::string type, release::envelope_type(env));
      if (type != release::kRoleRoot && type != release::kRoleTargets) {
        return make_error(Errc::invalid_input,
                          args->draft + " is " + type + " metadata; maintainers sign root and targets");
      }
      std::optional<release::Root> trusted;
      if (!args->root.empty()) {
        COCOON_ASSIGN(release::Envelope root_env, load_envelope_file(args->root));
        COCOON_ASSIGN(release::Root r, release::verify_root_self_signed(root_env));
        trusted = std::move(r);
      }
      COCOON_ASSIGN(crypto::SecretKey key, load_signing_key(args->key));
      const std::string keyid = crypto::ed25519_key_id(key.pair.public_key);
      COCOON_ASSIGN(auto reason, uncounted_reason(env, type, trusted, keyid));
      if (reason) {
        std::fprintf(stderr, "cocoon-sign: warning: %s (%s): %s; this signature will not count\n",
                     printable(key.name).c_str(), keyid.c_str(), printable(*reason).c_str());
      }
      COCOON_TRY(release::add_signature(env, key));
      COCOON_TRY(save_envelope_file(args->out.empty() ? args->draft : args->out, env));
      // Escaped here, where the line is formed: a key name holding a line break cannot forge a line.
      return printable(key.name) + " (" + keyid + ") signed " + type + " draft " +
             printable(args->out.empty() ? args->draft : args->out);
    };
    finish_command("cocoon-sign", run(), exit_code);
  });
}

}  // namespace cocoon::tools::sign
