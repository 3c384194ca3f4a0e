// `cocoon-sign publish DRAFT --repo DIR`: a co-signed root or targets draft becomes part of the TUF
// repository (lib/release/repository.hpp); snapshot and timestamp are signed with the online key.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "release/draft.hpp"
#include "release/log_bundle.hpp"
#include "release/propose.hpp"
#include "release/repository.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

void add_publish_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string draft, repo, online_key, artifacts, log_dir, log_key, attestations;
    std::int64_t snapshot_days = 7, timestamp_days = 1;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("publish", "add a co-signed root or targets draft to the TUF repository");
  cmd->add_option("draft", args->draft, "the co-signed draft")->required();
  cmd->add_option("--repo", args->repo, "the repository directory (served as is by any static web server)")
      ->required();
  cmd->add_option("--online-key", args->online_key, "the online snapshot/timestamp secret key file");
  cmd->add_option("--artifacts", args->artifacts, "directory holding the artifact files (targets drafts)");
  cmd->add_option("--log", args->log_dir, "the transparency log directory (cocoon-log init) to append to");
  cmd->add_option("--log-key", args->log_key,
                  "the log's secret key file (its name is the root's log origin)");
  cmd->add_option("--attestations", args->attestations, "attestation files to log with the targets (*.json)");
  cmd->add_option("--snapshot-days", args->snapshot_days, "days until the snapshot expires")
      ->check(CLI::Range(1, 365));
  cmd->add_option("--timestamp-days", args->timestamp_days, "days until the timestamp expires")
      ->check(CLI::Range(1, 365));
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::string> {
      COCOON_ASSIGN(release::Envelope env, load_envelope_file(args->draft));
      COCOON_ASSIGN(std::string type, release::envelope_type(env));
      release::PublishTimes times;
      times.now = now_unix();
      times.snapshot_lifetime = args->snapshot_days * kDay;
      times.timestamp_lifetime = args->timestamp_days * kDay;
      std::optional<crypto::SecretKey> online;
      if (!args->online_key.empty()) {
        COCOON_ASSIGN(crypto::SecretKey k, load_signing_key(args->online_key));
        online = std::move(k);
      }
      if (type == release::kRoleRoot) {
        COCOON_TRY(release::publish_root(args->repo, env, online ? &*online : nullptr, times));
        return "published root version " + env.signed_part["version"].dump() + " in " + args->repo;
      }
      if (type != release::kRoleTargets) {
        return make_error(Errc::invalid_input,
                          args->draft + " is " + type + " metadata, not a root or targets draft");
      }
      if (!online) return make_error(Errc::invalid_input, "publishing targets needs --online-key");
      if (args->artifacts.empty())
        return make_error(Errc::invalid_input, "publishing targets needs --artifacts DIR");
      release::LogStep log_step;
      std::string logged;
      std::vector<release::AttestationFile> attestations;  // outlives log_step, which refers to it
      if (!args->log_dir.empty()) {
        if (args->log_key.empty()) return make_error(Errc::invalid_input, "--log needs --log-key");
        COCOON_ASSIGN(crypto::SecretKey log_key, load_signing_key(args->log_key));
        if (!args->attestations.empty()) {
          COCOON_ASSIGN(attestations, release::read_attestation_dir(args->attestations));
        }
        log_step = [&, log_key = std::move(log_key)](const release::Root& root,
                                                     std::string_view targets_text) -> Result<std::string> {
          if (!root.policy)
            return make_error(Errc::invalid_input, "the root names no log (no x-cocoon-policy)");
          COCOON_ASSIGN(tlog::NoteSigner signer, tlog::make_signer(root.policy->log_origin, log_key.pair));
          std::vector<release::LoggedEntry> entries{{"targets", to_bytes(targets_text)}};
          for (const auto& a : attestations) entries.push_back({"attestation", a.bytes});
          COCOON_ASSIGN(release::LogBundle bundle, release::append_to_log(args->log_dir, signer, entries));
          // Only a bundle a node operator would accept is worth publishing.
          COCOON_TRY(release::verify_log_bundle(bundle, *root.policy, entries));
          logged = " (logged " + std::to_string(entries.size()) + " entries in " + bundle.origin + ")";
          return pretty_json(release::log_bundle_json(bundle));
        };
      }
      COCOON_TRY(release::publish_targets(args->repo, env, args->artifacts, *online, times, log_step));
      return "published targets version " + env.signed_part["version"].dump() + " in " + args->repo + logged;
    };
    auto r = run();
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("%s\n", r->c_str());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
