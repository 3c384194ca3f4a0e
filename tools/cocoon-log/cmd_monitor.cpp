// cocoon-log monitor --dir|--url SRC --state FILE [--log-vkey K] [--json]
// Prints one line per entry appended since the last run and exits non-zero on any inconsistency
// (the state file is then left untouched). The first run pins the log key: --log-vkey, else the
// log's own log.pub (trust on first use, see docs/log.md). Candidate and verdict entries (lib/rebuild)
// are described by lib/rebuild, passed in so that tlog does not depend on it.
#include <cstdio>
#include <filesystem>
#include <optional>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "common/renamed_option.hpp"
#include "core/escape.hpp"
#include "rebuild/describe.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/monitor.hpp"

namespace cocoon::tools::log {

void add_monitor_command(CLI::App& app, int& exit_code) {
  struct Args {
    LogSource src;
    std::string state, log_key;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("monitor", "check that the log only grew, and list the new entries");
  cmd->add_option("--dir", args->src.dir, "log directory");
  cmd->add_option("--url", args->src.url, "log base URL");
  cmd->add_option("--state", args->state, "monitor state file (created on the first run)")->required();
  cmd->add_option("--log-vkey", args->log_key, "log verifier key (string or file)");
  add_renamed_option(cmd, "--log-key", "--log-vkey (a verifier key; --log-key is a secret key file)");
  cmd->add_flag("--json", args->json, "print the new entries and the verdict as JSON (also when refused)");
  cmd->callback([args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    auto fetcher = open_source(args->src);
    if (!fetcher) return fail(fetcher.error());
    std::optional<tlog::MonitorState> previous;
    if (std::filesystem::exists(args->state)) {
      auto s = tlog::load_monitor_state(args->state);
      if (!s) return fail(s.error());
      previous = std::move(*s);
    }
    Result<tlog::NoteVerifier> key = make_error(Errc::invalid_input, "no log key: give --log-vkey");
    if (!args->log_key.empty()) {
      key = load_note_verifier(args->log_key);
    } else if (previous) {
      key = tlog::parse_verifier_key(previous->log_key);
    } else if (!args->src.dir.empty()) {
      key = tlog::read_log_verifier(args->src.dir);
    }
    if (!key) return fail(key.error());
    // Past this point a refusal is the monitor's answer: with --json it is printed as a verdict.
    Json doc = {{"origin", key->name}, {"state", args->state}};
    auto refuse = [&](const Error& e) {
      exit_code = args->json ? refuse_with_json(doc, "INCONSISTENT", e) : report(kTool, e);
    };
    if (previous && tlog::format_verifier_key(*key) != previous->log_key)
      return refuse(make_error(Errc::signature, "--log-vkey differs from the key pinned in " + args->state));
    tlog::LogClient client(**fetcher, *key);
    auto up = tlog::monitor_step(client, previous ? &*previous : nullptr);
    if (!up) return refuse(up.error());
    if (args->json) {
      if (auto st = tlog::save_monitor_state(args->state, up->next); !st) return fail(st.error());
      Json entries = Json::array();
      for (std::size_t i = 0; i < up->entries.size(); ++i)
        entries.push_back({{"index", up->first_index + i},
                           {"description", tlog::describe_entry(up->entries[i], rebuild::describe_entry)}});
      doc["verdict"] = "CONSISTENT";
      doc["exit_code"] = kExitOk;
      doc["old_size"] = up->old_size;
      doc["size"] = up->next.range.size;
      doc["entries"] = entries;
      print_json(doc);
      return;
    }
    for (std::size_t i = 0; i < up->entries.size(); ++i)
      std::printf("%llu %s\n", static_cast<unsigned long long>(up->first_index + i),
                  printable(tlog::describe_entry(up->entries[i], rebuild::describe_entry)).c_str());
    if (auto st = tlog::save_monitor_state(args->state, up->next); !st) return fail(st.error());
    std::printf("checked %s: size %llu -> %llu, consistent\n", printable(key->name).c_str(),
                static_cast<unsigned long long>(up->old_size),
                static_cast<unsigned long long>(up->next.range.size));
  });
}

}  // namespace cocoon::tools::log
