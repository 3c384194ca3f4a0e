// `cocoon-sign publish DRAFT --repo DIR`: a co-signed root or targets draft becomes part of the TUF
// repository (lib/release/repository.hpp); snapshot and timestamp are signed with the online key.
// For a root with a Cocoon policy, a targets draft is published only as a node operator would accept
// it: every target backed by the builder threshold (the cited attestations are laid out beside the
// metadata), the targets and those attestations logged, the checkpoint cosigned by the witness quorum.
#include <cstdio>
#include <map>
#include <memory>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "crypto/hash.hpp"
#include "release/draft.hpp"
#include "release/log_publish.hpp"
#include "release/propose.hpp"
#include "release/repository.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"
#include "verify/builders.hpp"

namespace cocoon::tools::sign {

namespace {

struct PublishArgs {
  std::string draft, repo, online_key, artifacts, log, log_key, attestations;
  std::vector<std::string> witnesses;
  std::int64_t snapshot_days = 7, timestamp_days = 1;
  long timeout = 30;
};

// The attestation files the draft's targets cite, picked by file hash from `dir`, after checking that
// each target is backed by the builder threshold — the very check cocoon-verify makes.
Result<std::vector<release::AttestationFile>> cited_files(const release::CocoonPolicy& policy,
                                                          const release::Targets& targets,
                                                          const std::string& dir, std::string& summary) {
  if (dir.empty())
    return make_error(Errc::invalid_input, "the root has a builder policy: give --attestations DIR");
  COCOON_ASSIGN(auto files, release::read_attestation_dir(dir));
  std::map<std::string, const release::AttestationFile*> by_hash;
  for (const auto& f : files) by_hash[crypto::sha256_hex(f.bytes)] = &f;
  std::vector<release::AttestationFile> chosen;
  std::map<std::string, bool> taken;
  for (const auto& [path, info] : targets.targets) {
    COCOON_ASSIGN(std::vector<std::string> cited, verify::cited_attestations(path, info));
    std::vector<verify::CitedAttestation> found;
    for (const auto& digest : cited) {
      auto it = by_hash.find(digest);
      if (it == by_hash.end()) {
        return make_error(Errc::not_found,
                          "target " + path + " cites attestation " + digest + ", which is not in " + dir);
      }
      found.push_back({digest, it->second->bytes});
      if (!taken[digest]) chosen.push_back(*it->second);
      taken[digest] = true;
    }
    COCOON_ASSIGN(verify::BuilderVerdict v, verify::check_builder_agreement(policy, path, info, found));
    summary += "\n  " + path + ": " + std::to_string(v.builders.size()) + " trusted builder(s) agree";
  }
  return chosen;
}

Result<std::string> publish(const PublishArgs& a) {
  COCOON_ASSIGN(release::Envelope env, load_envelope_file(a.draft));
  COCOON_ASSIGN(std::string type, release::envelope_type(env));
  release::PublishTimes times;
  times.now = now_unix();
  times.snapshot_lifetime = a.snapshot_days * kDay;
  times.timestamp_lifetime = a.timestamp_days * kDay;
  std::optional<crypto::SecretKey> online;
  if (!a.online_key.empty()) {
    COCOON_ASSIGN(crypto::SecretKey k, load_signing_key(a.online_key));
    online = std::move(k);
  }
  if (type == release::kRoleRoot) {
    COCOON_TRY(release::publish_root(a.repo, env, online ? &*online : nullptr, times));
    return "published root version " + env.signed_part["version"].dump() + " in " + a.repo;
  }
  if (type != release::kRoleTargets)
    return make_error(Errc::invalid_input,
                      a.draft + " is " + type + " metadata, not a root or targets draft");
  if (!online) return make_error(Errc::invalid_input, "publishing targets needs --online-key");
  if (a.artifacts.empty()) return make_error(Errc::invalid_input, "publishing targets needs --artifacts DIR");

  COCOON_ASSIGN(release::RepositoryState state, release::load_repository(a.repo));
  // Signatures, expiry and version first: they are the reasons maintainers most need to hear.
  COCOON_ASSIGN(release::Targets targets, release::check_targets_publishable(state, env, times.now));
  const auto& policy = state.root->policy;
  if (!policy && (!a.log.empty() || !a.witnesses.empty()))
    return make_error(Errc::invalid_input,
                      "the root names no log (no x-cocoon-policy): drop --log/--witness");
  if (policy && a.log.empty())
    return make_error(Errc::invalid_input,
                      "the root names log " + policy->log_origin + ": give --log DIR_OR_URL");

  std::string summary;
  std::vector<release::AttestationFile> attestations;
  std::vector<Bytes> attestation_bytes;
  release::LogStep log_step;
  std::vector<release::WitnessOutcome> witness_outcomes;
  if (policy) {
    COCOON_ASSIGN(attestations, cited_files(*policy, targets, a.attestations, summary));
    for (const auto& f : attestations) attestation_bytes.push_back(f.bytes);
    release::LogDestination dest;
    dest.location = a.log;
    dest.timeout_seconds = a.timeout;
    if (!a.log.starts_with("http://") && !a.log.starts_with("https://")) {
      if (a.log_key.empty())
        return make_error(Errc::invalid_input, "--log DIR needs --log-key (the log's key)");
      COCOON_ASSIGN(crypto::SecretKey log_key, load_signing_key(a.log_key));
      COCOON_ASSIGN(dest.signer, tlog::make_signer(policy->log_origin, log_key.pair));
    }
    std::vector<tlog::WitnessEndpoint> witnesses;
    for (const auto& url : a.witnesses) witnesses.push_back({url, a.timeout});
    COCOON_ASSIGN(std::vector<tlog::Checkpoint> earlier, release::published_checkpoints(a.repo));
    log_step = [&, dest, witnesses, earlier](const release::Root&,
                                             std::string_view targets_text) -> Result<std::string> {
      std::vector<release::LoggedEntry> entries{{"targets", to_bytes(targets_text)}};
      for (const auto& f : attestations) entries.push_back({"attestation", f.bytes});
      COCOON_ASSIGN(release::LoggedRelease logged,
                    release::log_release(dest, *policy, entries, witnesses, earlier));
      witness_outcomes = logged.witnesses;
      summary += "\n  logged " + std::to_string(entries.size()) + " entries in " + logged.bundle.origin;
      return pretty_json(release::log_bundle_json(logged.bundle));
    };
  }
  auto published =
      release::publish_targets(a.repo, env, a.artifacts, *online, times, log_step, attestation_bytes);
  if (!published.ok()) return published.error();
  for (const auto& w : witness_outcomes) {
    summary += "\n  witness " + w.url + ": " + (w.cosigned ? "cosigned as " : "did not cosign: ") + w.detail;
  }
  return "published targets version " + env.signed_part["version"].dump() + " in " + a.repo + summary;
}

}  // namespace

void add_publish_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<PublishArgs>();
  CLI::App* cmd =
      app.add_subcommand("publish", "add a co-signed root or targets draft to the TUF repository");
  cmd->add_option("draft", args->draft, "the co-signed draft")->required();
  cmd->add_option("--repo", args->repo, "the repository directory (served as is by any static web server)")
      ->required();
  cmd->add_option("--online-key", args->online_key, "the online snapshot/timestamp secret key file");
  cmd->add_option("--artifacts", args->artifacts, "directory holding the artifact files (targets drafts)");
  cmd->add_option(
      "--log", args->log,
      "the transparency log: its directory (we append as its writer) or the URL of cocoon-log serve");
  cmd->add_option("--log-key", args->log_key, "the log's secret key file (with --log DIR)");
  cmd->add_option("--witness", args->witnesses, "a witness URL (C2SP tlog-witness; repeatable)");
  cmd->add_option("--attestations", args->attestations,
                  "directory of builder attestations (*.json); the ones the targets cite are published");
  cmd->add_option("--timeout", args->timeout, "seconds allowed for each log or witness request")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--snapshot-days", args->snapshot_days, "days until the snapshot expires")
      ->check(CLI::Range(1, 365));
  cmd->add_option("--timestamp-days", args->timestamp_days, "days until the timestamp expires")
      ->check(CLI::Range(1, 365));
  cmd->callback([args, &exit_code] { finish_command("cocoon-sign", publish(*args), exit_code); });
}

}  // namespace cocoon::tools::sign
