// cocoon-build key generate|show|builders: make a builder's Ed25519 key pair, print key ids and
// C2SP verifier keys, and write the trusted-builders list from public key files.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
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
#include "tlog/checkpoint.hpp"
#include "tlog/note.hpp"

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

// Creates the missing directories leading to a key file, each 0700 (the first key usually goes to a
// new ~/.cocoon). Existing directories are left as they are.
Status create_key_parents(const fs::path& file) {
  fs::path parent = fs::absolute(file).parent_path();
  std::vector<fs::path> missing;
  for (fs::path p = parent; !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0) break;
    if (errno != ENOENT)
      return make_error(Errc::io, "cannot stat " + p.string() + ": " + std::strerror(errno));
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST)
      return make_error(Errc::io, "cannot create " + it->string() + ": " + std::strerror(errno));
  return Ok{};
}

// Anyone who may write to the directory holding a secret key may replace the key with their own, so
// the next signature is theirs. A world-writable directory without the sticky bit is refused; a
// group-writable one (common with per-user groups and umask 002) only gets a warning. A directory that
// does not exist yet is made 0700 and passes.
Status check_secret_key_parent(const fs::path& file) {
  fs::path parent = fs::absolute(file).parent_path();
  struct stat st {};
  if (::stat(parent.c_str(), &st) != 0) return Ok{};
  bool sticky = (st.st_mode & S_ISVTX) != 0;
  if ((st.st_mode & S_IWOTH) && !sticky)
    return make_error(Errc::invalid_input, "refusing to write a secret key into " + parent.string() +
                                               ": anyone may replace files there (world-writable, no "
                                               "sticky bit); choose a private directory such as ~/.cocoon");
  if ((st.st_mode & S_IWGRP) && !sticky)
    std::fprintf(stderr,
                 "cocoon-build: warning: %s is group-writable; members of its group could replace %s\n",
                 printable(parent).c_str(), printable(file.filename()).c_str());
  return Ok{};
}

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
  if (auto st = check_secret_key_parent(o.out); !st) return report("cocoon-build", st.error());
  std::optional<std::string> passphrase;
  if (!o.unencrypted) {
    auto pw = read_passphrase(passphrase_prompt("new secret key", o.out.string()), true);
    if (!pw.ok()) return report("cocoon-build", pw.error());
    passphrase = std::move(pw).value();
  }
  auto key = crypto::generate_secret_key(o.name);
  if (!key.ok()) return report("cocoon-build", key.error());
  for (const auto& p : {o.out, pub_path})
    if (auto st = create_key_parents(p); !st) return report("cocoon-build", st.error());
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

struct KeyShowOptions {
  fs::path file;
  bool json = false;
  std::string vkey_name;  // --vkey NAME
  std::string role;       // --role log|witness, required with --vkey
  fs::path out;
};

int run_key_show(const KeyShowOptions& o) {
  auto pub = crypto::load_key_file_public_part(o.file);
  if (!pub.ok()) return report("cocoon-build", pub.error());
  if (!o.vkey_name.empty()) {
    // A log signs checkpoints with plain Ed25519 note signatures; a witness cosigns with
    // cosignature/v1, whose key hash uses another algorithm byte. The same key gives two vkeys.
    if (!tlog::valid_key_name(o.vkey_name))
      return report(
          "cocoon-build",
          make_error(Errc::invalid_input, "--vkey: \"" + o.vkey_name +
                                              "\" is not a note key name (printable, no spaces, no '+')"));
    // The two kinds of key are not interchangeable, so the role is never guessed.
    if (o.role.empty())
      return report("cocoon-build",
                    make_error(Errc::invalid_input, "--vkey needs --role log or --role witness"));
    auto alg = o.role == "witness" ? tlog::kAlgCosignatureV1 : tlog::kAlgEd25519;
    std::string line = tlog::format_verifier_key(tlog::make_verifier(o.vkey_name, alg, pub->key)) + "\n";
    if (o.out.empty()) {
      std::fputs(line.c_str(), stdout);
      return kExitOk;
    }
    if (auto st = write_file_atomic(o.out, std::string_view(line), 0644); !st)
      return report("cocoon-build", st.error());
    return kExitOk;
  }
  if (!o.out.empty() || !o.role.empty())
    return report("cocoon-build", make_error(Errc::invalid_input, "--out and --role go with --vkey NAME"));
  if (o.json) {
    std::fputs(pretty_json(crypto::public_key_json(*pub)).c_str(), stdout);
  } else {
    std::printf("%s  %s\n", printable(pub->keyid).c_str(), printable(pub->name).c_str());
  }
  return kExitOk;
}

// The list is the format crypto::parse_public_keys reads: a JSON array of public key objects.
int run_key_builders(const std::vector<fs::path>& files, const fs::path& out, bool force) {
  std::error_code ec;
  if (!force && fs::exists(out, ec))
    return report("cocoon-build",
                  make_error(Errc::invalid_input, out.string() + " exists (use --force to replace it)"));
  Json list = Json::array();
  std::map<std::string, fs::path> seen;  // key id -> the file it came from
  for (const auto& f : files) {
    auto pub = crypto::load_key_file_public_part(f);
    if (!pub.ok()) return report("cocoon-build", pub.error());
    auto [at, added] = seen.emplace(pub->keyid, f);
    if (!added)
      return report(
          "cocoon-build",
          make_error(Errc::invalid_input, f.string() + " holds the same key as " + at->second.string() +
                                              " (key id " + at->first + "): one builder cannot count twice"));
    list.push_back(crypto::public_key_json(*pub));
  }
  // Read back through the parser every consumer uses, so what is written is what they accept.
  if (auto parsed = crypto::parse_public_keys(list); !parsed.ok())
    return report("cocoon-build", parsed.error());
  if (auto st = write_file_atomic(out, std::string_view(pretty_json(list)), 0644); !st)
    return report("cocoon-build", st.error());
  for (const auto& k : list)
    std::printf("%s  %s\n", printable(k["keyid"].get<std::string>()).c_str(),
                printable(k["name"].get<std::string>()).c_str());
  std::printf("%zu builder(s) written to %s\n", seen.size(), printable(out).c_str());
  return kExitOk;
}

}  // namespace

void add_key_command(CLI::App& app, int& exit_code) {
  auto* key = app.add_subcommand("key", "Create builder keys, show key ids and vkeys, list builders");
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

  auto show_opts = std::make_shared<KeyShowOptions>();
  auto* show = key->add_subcommand(
      "show", "Print the key id and name of a public or secret key file, or its C2SP verifier key");
  show->add_option("FILE", show_opts->file, "Key file")->required();
  auto* json = show->add_flag("--json", show_opts->json, "Print the public key file content");
  show->add_option("--vkey", show_opts->vkey_name,
                   "Print the C2SP verifier key (vkey) of this key under NAME: a log's origin, or the "
                   "witness name given to `cocoon-log witness` (default there: the key's name)")
      ->excludes(json);
  show->add_option(
          "--role", show_opts->role,
          "With --vkey: log (Ed25519 note key, as in a log's log.pub) or witness (cosignature/v1 key, "
          "as `cocoon-log witness serve` prints)")
      ->check(CLI::IsMember({"log", "witness"}));
  show->add_option("--out", show_opts->out, "With --vkey: write the vkey line to this file");
  show->callback([show_opts, &exit_code] { exit_code = run_key_show(*show_opts); });

  auto builders_files = std::make_shared<std::vector<fs::path>>();
  auto builders_out = std::make_shared<fs::path>();
  auto builders_force = std::make_shared<bool>(false);
  auto* builders = key->add_subcommand(
      "builders",
      "Write the trusted builders list (builders.json for compare and `cocoon-sign root init --builders`) "
      "from public key files");
  builders->add_option("PUB", *builders_files, "Builders' public key files (.pub)")->required();
  builders->add_option("--out", *builders_out, "The list to write")->required();
  builders->add_flag("--force", *builders_force, "Replace an existing file");
  builders->callback([builders_files, builders_out, builders_force, &exit_code] {
    exit_code = run_key_builders(*builders_files, *builders_out, *builders_force);
  });
}

}  // namespace cocoon::tools::build
