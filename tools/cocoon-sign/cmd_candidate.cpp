// `cocoon-sign candidate --recipe RECIPE --key KEY (--root ROOT | --repo DIR) --log DIR_OR_URL`: a
// maintainer announces a release candidate in the root's log before proposing it, so that watching
// builders rebuild it (issue 16; the entry is lib/rebuild's, the append lib/publish's).
#include <algorithm>
#include <cstdio>
#include <memory>

#include "build/recipe.hpp"
#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "publish/log_publish.hpp"
#include "rebuild/entries.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"
#include "tlog/note.hpp"

namespace cocoon::tools::sign {

namespace {

// A recipe is a small JSON file (lib/build reads at most 1 MiB too).
constexpr std::uint64_t kMaxRecipeBytes = 1 << 20;

struct CandidateArgs {
  std::string recipe, root, repo, log;
  SecretOption key{"key", "maintainer key"};
  SecretOption log_key{"log-key", "log key"};
  long timeout = 30;
  bool json = false;
};

struct CandidateReport {
  attest::ReleaseLabels labels;
  std::string origin, entry_sha256, created;
  std::uint64_t index = 0, size = 0;
};

// The root names the log (origin and key) and the maintainers whose candidates builders follow.
Result<release::Root> trusted_root(const CandidateArgs& a) {
  if (a.root.empty() && a.repo.empty()) return make_error(Errc::invalid_input, "give --root or --repo");
  std::string root_path = a.root.empty() ? a.repo + "/metadata/root.json" : a.root;
  COCOON_ASSIGN(release::Envelope env, load_envelope_file(root_path));
  COCOON_ASSIGN(release::Root root, release::verify_root_self_signed(env));
  COCOON_TRY(release::check_not_expired(root.common, now_unix(), "root"));
  if (!root.policy)
    return make_error(Errc::invalid_input,
                      root_path + " names no log (no x-cocoon-policy): nowhere to announce");
  return root;
}

// A candidate signed by a key the root does not name as a maintainer would be ignored by every
// builder: refuse it before it is logged forever.
Status check_maintainer(const release::Root& root, const crypto::PublicKey& key) {
  const auto& targets = root.role(release::kRoleTargets).keyids;
  bool known = std::find(targets.begin(), targets.end(), key.keyid) != targets.end() ||
               root.policy->maintainer_names.count(key.keyid) > 0;
  if (!known)
    return make_error(Errc::signature,
                      "--key " + key.name + " (" + key.keyid.substr(0, 16) +
                          "…) is not a maintainer key of the root: builders would ignore the "
                          "candidate");
  return Ok{};
}

Result<CandidateReport> announce(const CandidateArgs& a) {
  COCOON_ASSIGN(release::Root root, trusted_root(a));
  const release::CocoonPolicy& policy = *root.policy;
  COCOON_ASSIGN(Bytes recipe_bytes, read_file(a.recipe, kMaxRecipeBytes));
  auto recipe = build::parse_recipe(to_string(recipe_bytes));
  if (!recipe.ok()) return make_error(recipe.error().code, a.recipe + ": " + recipe.error().message);
  COCOON_ASSIGN(crypto::SecretKey key, load_signing_key(a.key));
  COCOON_TRY(check_maintainer(root, key.public_key()));

  publish::LogDestination dest;
  dest.location = a.log;
  dest.timeout_seconds = a.timeout;
  if (!a.log.starts_with("http://") && !a.log.starts_with("https://")) {
    if (a.log_key.path.empty())
      return make_error(Errc::invalid_input, "--log DIR needs --log-key (the log's secret key file)");
    COCOON_ASSIGN(crypto::SecretKey log_key, load_signing_key(a.log_key));
    COCOON_ASSIGN(dest.signer, tlog::make_signer(policy.log_origin, log_key.pair));
  }
  COCOON_ASSIGN(tlog::NoteVerifier log_vkey, tlog::parse_verifier_key(policy.log_verifier_key));

  rebuild::Candidate candidate;
  candidate.labels = {recipe->name, recipe->version, recipe->digest, recipe->source_commit};
  candidate.source_url = recipe->source_url;
  candidate.recipe = std::move(recipe_bytes);
  candidate.created = format_rfc3339(now_unix());
  COCOON_ASSIGN(Bytes entry, rebuild::sign_candidate(candidate, key));
  COCOON_ASSIGN(publish::AppendedEntries appended,
                publish::append_entries(dest, log_vkey, policy.log_origin, {{"candidate", entry}}));

  CandidateReport report;
  report.labels = candidate.labels;
  report.origin = policy.log_origin;
  report.entry_sha256 = crypto::sha256_hex(ByteView(entry));
  report.created = candidate.created;
  report.index = appended.indexes.front();
  report.size = appended.checkpoint.checkpoint.size;
  return report;
}

Json report_json(const CandidateReport& r) {
  return {{"index", r.index},
          {"entry_sha256", r.entry_sha256},
          {"origin", r.origin},
          {"checkpoint_size", r.size},
          {"created", r.created},
          {"product", r.labels.product},
          {"version", r.labels.version},
          {"recipe_sha256", r.labels.recipe_sha256},
          {"source_commit", r.labels.source_commit}};
}

}  // namespace

void add_candidate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CandidateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "candidate", "announce a release candidate in the root's log, for watching builders to rebuild");
  cmd->add_option("--recipe", args->recipe, "the recipe, e.g. manifests/sample-node.json")->required();
  add_secret_option(cmd, args->key, "your maintainer secret key file (a targets key of the root)")
      ->required();
  cmd->add_option("--root", args->root, "the trusted root (default: <repo>/metadata/root.json)");
  cmd->add_option("--repo", args->repo, "the published repository (its root names the log)");
  cmd->add_option(
         "--log", args->log,
         "the transparency log: its directory (we append as its writer) or the URL of cocoon-log serve")
      ->required();
  add_secret_option(cmd, args->log_key, "the log's secret key file (with --log DIR)");
  cmd->add_option("--timeout", args->timeout, "seconds allowed for each log request")
      ->check(CLI::Range(1, 600));
  cmd->add_flag("--json", args->json, "print the log index, entry sha256 and labels as one JSON object");
  cmd->callback([args, &exit_code] {
    auto report = announce(*args);
    if (report.ok() && args->json) {
      std::printf("%s", pretty_json(report_json(*report)).c_str());
      exit_code = kExitOk;
      return;
    }
    Result<std::string> text =
        report.ok()
            ? Result<std::string>("logged candidate " + attest::describe_labels(report->labels) +
                                  " at index " + std::to_string(report->index) + " of " + report->origin)
            : Result<std::string>(report.error());
    finish_command("cocoon-sign", text, exit_code);
  });
}

}  // namespace cocoon::tools::sign
