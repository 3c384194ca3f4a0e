// `cocoon-sign root init` and `cocoon-sign root rotate`: write an unsigned root draft for the
// maintainers to sign (docs/maintainers.md, "Key ceremony" and "Rotating keys").
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "common/renamed_option.hpp"
#include "core/escape.hpp"
#include "frost/ceremony.hpp"
#include "release/root_params.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"
#include "tlog/note.hpp"

namespace cocoon::tools::sign {

namespace {

struct PolicyArgs {
  std::vector<std::string> builder_files, builder_lists, witnesses;
  std::string log_key;
  std::uint64_t builder_threshold = 0, witness_quorum = 0;
  bool witness_quorum_set = false;
};

void add_policy_options(CLI::App* cmd, PolicyArgs& a) {
  cmd->add_option("--builder", a.builder_files, "a trusted builder's public key file (repeatable)");
  cmd->add_option("--builders", a.builder_lists, "a JSON array of trusted builder public keys");
  cmd->add_option("--builder-threshold", a.builder_threshold, "builders that must reproduce each artifact");
  cmd->add_option("--log-vkey", a.log_key,
                  "the log's verifier key string, or a file holding it (a log's log.pub)");
  cmd->add_option("--witness-vkey", a.witnesses, "a witness verifier key string or file (repeatable)");
  add_renamed_option(cmd, "--log-key", "--log-vkey (the log's verifier key; --log-key is a secret key file)");
  add_renamed_option(cmd, "--witness", "--witness-vkey (a witness verifier key; --witness is a URL)");
  cmd->add_option("--witness-quorum", a.witness_quorum, "witness cosignatures required")
      ->each([&a](const std::string&) { a.witness_quorum_set = true; });
}

// A verifier key given inline or as the path of a file holding it.
Result<std::string> verifier_key_arg(const std::string& arg) {
  std::error_code ec;
  std::string text = arg;
  if (std::filesystem::is_regular_file(arg, ec)) {
    COCOON_ASSIGN(text, read_text_file(arg, 1 << 16));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  }
  COCOON_TRY(tlog::parse_verifier_key(text));
  return text;
}

Result<std::vector<crypto::PublicKey>> load_key_args(const std::vector<std::string>& files,
                                                     const std::vector<std::string>& lists) {
  std::vector<crypto::PublicKey> keys;
  for (const auto& f : files) {
    COCOON_ASSIGN(crypto::PublicKey k, crypto::load_key_file_public_part(f));
    keys.push_back(std::move(k));
  }
  for (const auto& l : lists) {
    COCOON_ASSIGN(auto ks, crypto::load_public_keys(l));
    keys.insert(keys.end(), ks.begin(), ks.end());
  }
  return keys;
}

// Applies the policy options that were given on top of `policy`.
Status apply_policy_args(const PolicyArgs& a, release::CocoonPolicy& policy, bool require_all) {
  if (!a.builder_files.empty() || !a.builder_lists.empty()) {
    COCOON_ASSIGN(policy.builder_keys, load_key_args(a.builder_files, a.builder_lists));
  } else if (require_all) {
    return make_error(Errc::invalid_input, "give the trusted builders with --builder or --builders");
  }
  if (a.builder_threshold != 0) {
    policy.builder_threshold = a.builder_threshold;
  } else if (require_all) {
    return make_error(Errc::invalid_input, "give --builder-threshold");
  }
  if (!a.log_key.empty()) {
    COCOON_ASSIGN(policy.log_verifier_key, verifier_key_arg(a.log_key));
    COCOON_ASSIGN(auto v, tlog::parse_verifier_key(policy.log_verifier_key));
    policy.log_origin = v.name;
  } else if (require_all) {
    return make_error(Errc::invalid_input, "give the log's verifier key with --log-vkey");
  }
  if (!a.witnesses.empty()) {
    policy.witness_keys.clear();
    for (const auto& w : a.witnesses) {
      COCOON_ASSIGN(std::string k, verifier_key_arg(w));
      policy.witness_keys.push_back(std::move(k));
    }
  }
  if (a.witness_quorum_set) policy.witness_quorum = a.witness_quorum;
  return Ok{};
}

struct FrostArgs {
  std::string group;
  std::vector<std::string> names;
};

void add_frost_options(CLI::App* cmd, FrostArgs& a) {
  cmd->add_option("--frost-group", a.group,
                  "a FROST group file (frost dkg finish): its key alone, threshold 1, signs targets");
  cmd->add_option("--frost-name", a.names, "ID=NAME: who FROST participant ID is (repeatable)");
}

// The group record from --frost-group and --frost-name; nullopt when no group was given.
Result<std::optional<release::FrostGroupRecord>> frost_record_arg(const FrostArgs& a) {
  if (a.group.empty()) {
    if (!a.names.empty()) return make_error(Errc::invalid_input, "--frost-name needs --frost-group");
    return std::optional<release::FrostGroupRecord>{};
  }
  std::map<std::uint32_t, std::string> names;
  for (const auto& n : a.names) {
    auto eq = n.find('=');
    std::uint32_t id = 0;
    std::size_t used = 0;
    try {
      if (eq != std::string::npos && eq > 0 && n[0] != '-' && n[0] != '+') {
        unsigned long v = std::stoul(n.substr(0, eq), &used);
        if (v <= frost::kMaxParticipants) id = static_cast<std::uint32_t>(v);
      }
    } catch (const std::exception&) {
      id = 0;
    }
    if (id == 0 || used != eq)
      return make_error(Errc::invalid_input, "--frost-name " + n + ": expected ID=NAME with ID in 1..255");
    if (!names.emplace(id, n.substr(eq + 1)).second)
      return make_error(Errc::invalid_input,
                        "--frost-name: participant " + std::to_string(id) + " named twice");
  }
  COCOON_ASSIGN(frost::GroupFile group, frost::load_group_file(a.group));
  COCOON_ASSIGN(release::FrostGroupRecord record, release::frost_record_from_group(group.group, names));
  return std::optional<release::FrostGroupRecord>(std::move(record));
}

int write_draft(const release::Root& root, const std::string& out) {
  release::Envelope env;
  env.signed_part = release::root_json(root);
  if (auto st = save_envelope_file(out, env); !st.ok()) return report("cocoon-sign", st.error());
  std::printf(
      "wrote root version %llu draft to %s: %zu maintainer key(s), root threshold %llu, targets threshold "
      "%llu, expires %s; now each maintainer runs `cocoon-sign sign %s --key KEY`\n",
      static_cast<unsigned long long>(root.common.version), printable(out).c_str(),
      root.role(release::kRoleRoot).keyids.size(),
      static_cast<unsigned long long>(root.role(release::kRoleRoot).threshold),
      static_cast<unsigned long long>(root.role(release::kRoleTargets).threshold),
      printable(format_rfc3339(root.common.expires)).c_str(), printable(out).c_str());
  // A log without witnesses is allowed (a private test network), but it is easy to get by leaving the
  // flags out, and then a log operator alone can show one node a release the others never see.
  if (root.policy && !root.policy->log_origin.empty() && root.policy->witness_quorum == 0) {
    std::fprintf(stderr,
                 "cocoon-sign: warning: witness quorum 0: nodes will accept log checkpoints no witness "
                 "cosigned (give --witness-vkey and --witness-quorum)\n");
  }
  if (root.frost) {
    std::string who;
    for (const auto& p : root.frost->participants) who += (who.empty() ? "" : ", ") + p.name;
    std::printf("targets are signed by FROST group %s (any %s: %s) with threshold 1\n",
                printable(root.frost->keyid).c_str(), printable(root.frost->t_of_n()).c_str(),
                printable(who).c_str());
  }
  return kExitOk;
}

void add_root_init_command(CLI::App& root_cmd, int& exit_code) {
  struct Args {
    std::vector<std::string> maintainers, online_keys;
    std::uint64_t threshold = 0, targets_threshold = 0;
    std::int64_t expires_days = 365;
    PolicyArgs policy;
    FrostArgs frost;
    std::string out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = root_cmd.add_subcommand("init", "write root version 1 for the maintainers to sign");
  cmd->add_option("--maintainer", args->maintainers, "a maintainer's public key file (repeatable)")
      ->required();
  cmd->add_option("--threshold", args->threshold, "maintainer signatures needed for a root")->required();
  cmd->add_option("--targets-threshold", args->targets_threshold,
                  "maintainer signatures needed for a release (default: --threshold)");
  cmd->add_option("--online-pub", args->online_keys,
                  "public key file of the online snapshot/timestamp key (repeatable)")
      ->required();
  add_renamed_option(cmd, "--online-key",
                     "--online-pub (a public key file; --online-key is a secret key file)");
  cmd->add_option("--expires-days", args->expires_days, "days until the root expires")
      ->check(CLI::Range(1, 3650));
  add_policy_options(cmd, args->policy);
  add_frost_options(cmd, args->frost);
  cmd->add_option("--out", args->out, "the root draft to write")->required();
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<release::Root> {
      release::RootParams p;
      COCOON_ASSIGN(p.frost_group, frost_record_arg(args->frost));
      if (p.frost_group && args->targets_threshold)
        return make_error(Errc::invalid_input,
                          "--targets-threshold does not apply to a FROST group (threshold 1)");
      COCOON_ASSIGN(p.maintainers, load_key_args(args->maintainers, {}));
      COCOON_ASSIGN(p.online_keys, load_key_args(args->online_keys, {}));
      p.root_threshold = args->threshold;
      p.targets_threshold = p.frost_group             ? 1
                            : args->targets_threshold ? args->targets_threshold
                                                      : args->threshold;
      COCOON_TRY(apply_policy_args(args->policy, p.policy, true));
      p.version = 1;
      p.expires = now_unix() + args->expires_days * kDay;
      return release::make_root(p);
    };
    auto root = run();
    exit_code = root.ok() ? write_draft(*root, args->out) : report("cocoon-sign", root.error());
  });
}

void add_root_rotate_command(CLI::App& root_cmd, int& exit_code) {
  struct Args {
    std::string current, out;
    std::vector<std::string> add, remove, online_keys;
    std::uint64_t threshold = 0, targets_threshold = 0;
    std::int64_t expires_days = 365;
    PolicyArgs policy;
    FrostArgs frost;
    bool drop_frost = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = root_cmd.add_subcommand(
      "rotate",
      "write root version N+1 (to be signed by the threshold of the current AND the new maintainers)");
  cmd->add_option("--root", args->current, "the current root (metadata/root.json of the repository)")
      ->required();
  cmd->add_option("--add-maintainer", args->add, "a new maintainer's public key file (repeatable)");
  cmd->add_option("--remove-maintainer", args->remove,
                  "a maintainer to drop, by name or key id (repeatable): revocation");
  cmd->add_option("--threshold", args->threshold, "new root threshold (default: unchanged)");
  cmd->add_option("--targets-threshold", args->targets_threshold,
                  "new targets threshold (default: unchanged)");
  cmd->add_option("--online-pub", args->online_keys,
                  "replace the online key(s) by these public key files (repeatable)");
  add_renamed_option(cmd, "--online-key",
                     "--online-pub (a public key file; --online-key is a secret key file)");
  cmd->add_option("--expires-days", args->expires_days, "days until the new root expires")
      ->check(CLI::Range(1, 3650));
  add_policy_options(cmd, args->policy);
  add_frost_options(cmd, args->frost);
  cmd->add_flag("--drop-frost-group", args->drop_frost,
                "targets go back to the maintainers (with --targets-threshold, default the root threshold)");
  cmd->add_option("--out", args->out, "the root draft to write")->required();
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<release::Root> {
      COCOON_ASSIGN(auto new_group, frost_record_arg(args->frost));
      if (new_group && args->drop_frost)
        return make_error(Errc::invalid_input, "--frost-group and --drop-frost-group exclude each other");
      COCOON_ASSIGN(release::Envelope env, load_envelope_file(args->current));
      COCOON_ASSIGN(release::Root current, release::verify_root_self_signed(env));
      COCOON_ASSIGN(release::RootParams p, release::root_params(current));
      for (const auto& r : args->remove) {
        auto it = std::find_if(p.maintainers.begin(), p.maintainers.end(),
                               [&](const crypto::PublicKey& k) { return k.name == r || k.keyid == r; });
        if (it == p.maintainers.end())
          return make_error(Errc::not_found, "no maintainer named " + r + " in the current root");
        p.maintainers.erase(it);
      }
      COCOON_ASSIGN(auto added, load_key_args(args->add, {}));
      p.maintainers.insert(p.maintainers.end(), added.begin(), added.end());
      if (!args->online_keys.empty()) {
        COCOON_ASSIGN(p.online_keys, load_key_args(args->online_keys, {}));
      }
      if (args->threshold) p.root_threshold = args->threshold;
      if (args->drop_frost) {
        if (!p.frost_group)
          return make_error(Errc::invalid_input, "the current root has no FROST group to drop");
        p.frost_group.reset();
        p.targets_threshold = p.root_threshold;
      }
      if (new_group) {
        p.frost_group = std::move(new_group);
        p.targets_threshold = 1;
      }
      if (args->targets_threshold) p.targets_threshold = args->targets_threshold;
      COCOON_TRY(apply_policy_args(args->policy, p.policy, !current.policy.has_value()));
      p.version = current.common.version + 1;
      p.expires = now_unix() + args->expires_days * kDay;
      return release::make_root(p);
    };
    auto root = run();
    exit_code = root.ok() ? write_draft(*root, args->out) : report("cocoon-sign", root.error());
  });
}

}  // namespace

void add_root_command(CLI::App& app, int& exit_code) {
  CLI::App* root_cmd = app.add_subcommand("root", "create or rotate the trust root (root.json)");
  root_cmd->require_subcommand(1);
  add_root_init_command(*root_cmd, exit_code);
  add_root_rotate_command(*root_cmd, exit_code);
}

}  // namespace cocoon::tools::sign
