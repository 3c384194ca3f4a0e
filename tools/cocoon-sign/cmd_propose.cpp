// `cocoon-sign propose`: the targets draft of a release, listing only artifacts the builder threshold
// of trusted builders reproduced (lib/release/propose.hpp). The attestations come from a directory, or
// from the root's transparency log (--attestations-log), where watching builders submit them.
#include <cstdio>
#include <memory>
#include <optional>

#include "build/recipe.hpp"
#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "publish/log_attestations.hpp"
#include "release/products.hpp"
#include "release/propose.hpp"
#include "release/repository.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

namespace {

// What --attestations-log read, for the report.
struct LogSummary {
  std::uint64_t since = 0, size = 0, scanned = 0, other_labels = 0;
  std::size_t collected = 0;
};

// {"draft", "targets_version", "product", "version", "targets": [{"path", "length", "sha256"}]}: the
// values maintainers compare with their own rebuild. Only the released product's targets are listed;
// the others are carried forward unchanged. With --attestations-log, "attestations_log": {"size",
// "scanned", "collected", "other_labels"}.

Json propose_json(const std::string& out, const release::Targets& t,
                  const std::optional<LogSummary>& from_log) {
  std::string product, version;
  if (t.release && t.release->is_object()) {
    product = t.release->value("name", "");
    version = t.release->value("version", "");
  }
  Json targets = Json::array();
  for (const auto& [path, info] : t.targets) {
    if (release::product_of(path) != product) continue;
    auto sha = info.hashes.find("sha256");
    targets.push_back({{"path", path},
                       {"length", info.length},
                       {"sha256", sha == info.hashes.end() ? std::string() : sha->second}});
  }
  Json doc = {{"draft", out},
              {"targets_version", t.common.version},
              {"product", product},
              {"version", version},
              {"targets", targets}};
  if (from_log)
    doc["attestations_log"] = {{"size", from_log->size},
                               {"scanned", from_log->scanned},
                               {"collected", from_log->collected},
                               {"other_labels", from_log->other_labels}};
  return doc;
}

}  // namespace

void add_propose_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string version, recipe, attestations, attestations_log, artifacts, root, repo, out;
    std::uint64_t since = 0;
    long timeout = 30;
    std::int64_t expires_days = 90;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("propose", "write the targets draft of a release");
  cmd->add_option("--version", args->version, "the release version (must equal the recipe's)")->required();
  cmd->add_option("--recipe", args->recipe, "the recipe, e.g. manifests/sample-node.json")->required();
  cmd->add_option("--attestations", args->attestations, "directory of builder attestations (*.json DSSE)");
  cmd->add_option(
      "--attestations-log", args->attestations_log,
      "collect the attestations from the root's log: its directory or the URL of cocoon-log serve");
  cmd->add_option("--since", args->since,
                  "with --attestations-log: the first log index to read (e.g. the candidate's index)");
  cmd->add_option("--timeout", args->timeout, "seconds allowed for each log request")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--artifacts", args->artifacts, "directory holding the artifact files to publish")
      ->required();
  cmd->add_option("--root", args->root, "the trusted root (default: <repo>/metadata/root.json)");
  cmd->add_option("--repo", args->repo, "the published repository (for the previous release)");
  cmd->add_option("--expires-days", args->expires_days, "days until the targets metadata expires")
      ->check(CLI::Range(1, 3650));
  cmd->add_option("--out", args->out, "the draft to write")->required();
  cmd->add_flag("--json", args->json,
                "print the draft's release and targets as one JSON object (docs/cli.md)");
  cmd->callback([args, &exit_code] {
    bool frost_root = false;
    std::optional<LogSummary> from_log;
    auto run = [&]() -> Result<release::Envelope> {
      if (args->root.empty() && args->repo.empty())
        return make_error(Errc::invalid_input, "give --root or --repo");
      if (args->attestations.empty() && args->attestations_log.empty())
        return make_error(Errc::invalid_input, "give --attestations DIR or --attestations-log DIR_OR_URL");
      std::string root_path = args->root.empty() ? args->repo + "/metadata/root.json" : args->root;
      COCOON_ASSIGN(release::Envelope root_env, load_envelope_file(root_path));
      COCOON_ASSIGN(release::Root root, release::verify_root_self_signed(root_env));
      COCOON_TRY(release::check_not_expired(root.common, now_unix(), "root"));
      frost_root = root.frost.has_value();
      COCOON_ASSIGN(build::Recipe recipe, build::load_recipe(args->recipe));
      if (recipe.version != args->version) {
        return make_error(Errc::invalid_input, "--version " + args->version +
                                                   " differs from the recipe's version " + recipe.version);
      }
      release::ProposeInput in;
      in.release_version = args->version;
      in.recipe.name = recipe.name;
      in.recipe.source_commit = recipe.source_commit;
      in.recipe.sha256 = recipe.digest;
      for (const auto& a : recipe.artifacts) in.recipe.artifacts.push_back(a.name);
      // A measuring recipe's run adds measurement.json (lib/build); its image hashes go into the release.
      if (recipe.measure) in.recipe.artifacts.push_back("measurement.json");
      if (!args->attestations.empty()) {
        COCOON_ASSIGN(in.attestations, release::read_attestation_dir(args->attestations));
      }
      if (!args->attestations_log.empty()) {
        // The log the root names: its checkpoint must verify under the policy's log key.
        if (!root.policy)
          return make_error(Errc::invalid_input,
                            root_path + " names no log (no x-cocoon-policy): use --attestations");
        attest::ReleaseLabels labels{recipe.name, recipe.version, recipe.digest, recipe.source_commit};
        COCOON_ASSIGN(publish::LogAttestations logged,
                      publish::attestations_from_log(args->attestations_log, args->timeout, *root.policy,
                                                     labels, args->since));
        from_log =
            LogSummary{args->since, logged.size, logged.scanned, logged.other_labels, logged.files.size()};
        for (auto& f : logged.files) in.attestations.push_back(std::move(f));
      }
      COCOON_ASSIGN(in.artifacts, release::digest_artifacts(args->artifacts, in.recipe.artifacts));
      if (recipe.measure) {
        COCOON_ASSIGN(Bytes m,
                      read_file(std::filesystem::path(args->artifacts) / "measurement.json", 64 << 20));
        in.measurement = std::move(m);
      }
      if (!args->repo.empty()) {
        COCOON_ASSIGN(release::RepositoryState state, release::load_repository(args->repo));
        in.previous = state.targets;
      }
      in.expires = now_unix() + args->expires_days * kDay;
      COCOON_ASSIGN(release::Envelope draft, release::propose_targets(root, in));
      COCOON_TRY(save_envelope_file(args->out, draft));
      return draft;
    };
    auto r = run();
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    if (args->json) {
      auto targets = release::parse_targets(r->signed_part);
      if (!targets.ok()) {
        exit_code = report("cocoon-sign", targets.error());
        return;
      }
      std::printf("%s", pretty_json(propose_json(args->out, *targets, from_log)).c_str());
    } else {
      // The next step depends on who signs targets: the maintainers one by one, or a FROST group.
      const std::string next =
          frost_root ? "the FROST participants now run `cocoon-sign frost commit " + printable(args->out) +
                           " --state DIR --out COMMITMENT` (docs/frost.md)"
                     : "maintainers now run `cocoon-sign sign " + printable(args->out) + " --key KEY`";
      if (from_log)
        std::printf(
            "collected %zu attestation(s) of this release from %llu log entries from index %llu (%llu "
            "of other releases)\n",
            from_log->collected, static_cast<unsigned long long>(from_log->scanned),
            static_cast<unsigned long long>(from_log->since),
            static_cast<unsigned long long>(from_log->other_labels));
      std::printf("wrote targets draft %s (version %llu, %zu target(s)); %s\n", printable(args->out).c_str(),
                  static_cast<unsigned long long>(r->signed_part["version"].get<std::uint64_t>()),
                  r->signed_part["targets"].size(), next.c_str());
    }
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
