// cocoon-build key generate|show: make a builder's Ed25519 key pair and print key ids.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "common/passphrase.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "core/plain_name.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::tools::build {
namespace {

namespace fs = std::filesystem;

struct KeyGenerateOptions {
  std::string name;
  fs::path out;
  fs::path pub;
  bool unencrypted = false;
  bool force = false;
};

int run_key_generate(const KeyGenerateOptions& o) {
  // The name starts the line `key show` prints for this key.
  if (auto st = check_plain_name(o.name, "key name"); !st) return report("cocoon-build", st.error());
  fs::path pub_path = o.pub.empty() ? fs::path(o.out.string() + ".pub") : o.pub;
  if (!o.force) {
    for (const auto& p : {o.out, pub_path}) {
      std::error_code ec;
      if (fs::exists(p, ec))
        return report("cocoon-build",
                      make_error(Errc::invalid_input, p.string() + " exists (use --force to replace it)"));
    }
  }
  std::optional<std::string> passphrase;
  if (!o.unencrypted) {
    auto pw = read_passphrase("Passphrase for " + o.out.string(), true);
    if (!pw.ok()) return report("cocoon-build", pw.error());
    passphrase = std::move(pw).value();
  }
  auto key = crypto::generate_secret_key(o.name);
  if (!key.ok()) return report("cocoon-build", key.error());
  Status saved = crypto::save_secret_key(o.out, *key, passphrase);
  if (passphrase) {
    std::fill(passphrase->begin(), passphrase->end(), '\0');
  }
  if (!saved.ok()) return report("cocoon-build", saved.error());
  auto pub = key->public_key();
  Status pub_saved = write_file_atomic(pub_path, pretty_json(crypto::public_key_json(pub)), 0644);
  if (!pub_saved.ok()) return report("cocoon-build", pub_saved.error());
  std::printf("%s  %s\nsecret key: %s%s\npublic key: %s\n", printable(pub.keyid).c_str(),
              printable(pub.name).c_str(), printable(o.out).c_str(),
              passphrase ? " (encrypted)" : " (NOT encrypted)", printable(pub_path).c_str());
  return kExitOk;
}

int run_key_show(const fs::path& file, bool json) {
  auto pub = crypto::load_key_file_public_part(file);
  if (!pub.ok()) return report("cocoon-build", pub.error());
  if (json) {
    std::fputs(pretty_json(crypto::public_key_json(*pub)).c_str(), stdout);
  } else {
    std::printf("%s  %s\n", printable(pub->keyid).c_str(), printable(pub->name).c_str());
  }
  return kExitOk;
}

}  // namespace

void add_key_command(CLI::App& app, int& exit_code) {
  auto* key = app.add_subcommand("key", "Create builder keys and show key ids");
  key->require_subcommand(1);

  auto gen_opts = std::make_shared<KeyGenerateOptions>();
  auto* gen = key->add_subcommand(
      "generate",
      "Make an Ed25519 key: FILE (secret, mode 0600, passphrase from COCOON_PASSPHRASE or a prompt) "
      "and FILE.pub");
  gen->add_option("--name", gen_opts->name, "Display name stored in the key files")->required();
  gen->add_option("--out", gen_opts->out, "Secret key file to write")->required();
  gen->add_option("--pub", gen_opts->pub, "Public key file to write (default: OUT.pub)");
  gen->add_flag("--unencrypted", gen_opts->unencrypted, "Store the secret key without a passphrase");
  gen->add_flag("--force", gen_opts->force, "Replace existing files");
  gen->callback([gen_opts, &exit_code] { exit_code = run_key_generate(*gen_opts); });

  auto show_file = std::make_shared<fs::path>();
  auto show_json = std::make_shared<bool>(false);
  auto* show = key->add_subcommand("show", "Print the key id and name of a public or secret key file");
  show->add_option("FILE", *show_file, "Key file")->required();
  show->add_flag("--json", *show_json, "Print the public key file content");
  show->callback([show_file, show_json, &exit_code] { exit_code = run_key_show(*show_file, *show_json); });
}

}  // namespace cocoon::tools::build
