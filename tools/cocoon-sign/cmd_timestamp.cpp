// `cocoon-sign timestamp --repo DIR --online-key K`: keep the published release installable. The
// timestamp is short-lived on purpose (a frozen mirror is noticed within a day), so whoever holds the
// online key re-signs it on a schedule; no maintainer and no new targets are involved.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "release/repository.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

void add_timestamp_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string repo;
    SecretOption online_key{"online-key", "online key"};
    std::int64_t timestamp_days = 1, snapshot_days = 7;
    bool snapshot = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "timestamp", "re-sign the timestamp (and the snapshot when due) of the published release");
  cmd->add_option("--repo", args->repo, "the repository directory")->required();
  add_secret_option(cmd, args->online_key, "the online snapshot/timestamp secret key file")->required();
  cmd->add_option("--timestamp-days", args->timestamp_days, "days until the new timestamp expires")
      ->check(CLI::Range(1, 365));
  cmd->add_option("--snapshot-days", args->snapshot_days, "days until a re-signed snapshot expires")
      ->check(CLI::Range(1, 365));
  cmd->add_flag("--snapshot", args->snapshot, "re-sign the snapshot even if it is not about to expire");
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<std::string> {
      COCOON_ASSIGN(crypto::SecretKey online, load_signing_key(args->online_key));
      release::PublishTimes times;
      times.now = now_unix();
      times.timestamp_lifetime = args->timestamp_days * kDay;
      times.snapshot_lifetime = args->snapshot_days * kDay;
      COCOON_ASSIGN(release::RefreshedVersions v,
                    release::refresh_timestamp(args->repo, online, times, args->snapshot));
      return "timestamp version " + std::to_string(v.timestamp) + " expires " +
             format_rfc3339(times.now + times.timestamp_lifetime) + "; snapshot version " +
             std::to_string(v.snapshot) + (v.snapshot_resigned ? " (re-signed)" : " (unchanged)");
    };
    finish_command("cocoon-sign", run(), exit_code);
  });
}

}  // namespace cocoon::tools::sign
