// cocoon-log add --dir D FILE... [--json]: appends files as entries without a server (one batch).
#include <cstdio>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/log_config.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"

namespace cocoon::tools::log {

void add_add_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string dir;
    SecretOption key = signing_key_option("log key");
    std::vector<std::string> files;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("add", "append files to a log directory (embedded use, no server)");
  cmd->add_option("--dir", args->dir, "log directory")->required();
  add_secret_option(cmd, args->key, "log signing key (default: the one recorded by init)");
  cmd->add_option("files", args->files, "entry files")->required();
  cmd->add_flag("--json", args->json, "print each entry's index and the new checkpoint as JSON");
  cmd->callback([args, &exit_code] {
    std::vector<Bytes> entries;
    for (const auto& f : args->files) {
      auto data = read_file(f, tlog::kMaxEntrySize);
      if (!data) {
        exit_code = report(kTool, data.error());
        return;
      }
      entries.push_back(std::move(*data));
    }
    auto writer = open_log_for_writing(args->dir, args->key);
    if (!writer) {
      exit_code = report(kTool, writer.error());
      return;
    }
    auto r = writer->append(entries);
    if (!r) {
      exit_code = report(kTool, r.error());
      return;
    }
    if (args->json) {
      Json list = Json::array();
      std::size_t added = 0;
      for (size_t i = 0; i < entries.size(); ++i) {
        list.push_back({{"file", args->files[i]},
                        {"index", r->entries[i].index},
                        {"duplicate", r->entries[i].duplicate}});
        if (!r->entries[i].duplicate) ++added;
      }
      print_json(
          {{"entries", list}, {"new_entries", added}, {"size", r->size}, {"checkpoint", r->checkpoint}});
      return;
    }
    for (size_t i = 0; i < entries.size(); ++i)
      std::printf("%llu %s%s\n", static_cast<unsigned long long>(r->entries[i].index),
                  printable(args->files[i]).c_str(), r->entries[i].duplicate ? " (already in the log)" : "");
    std::printf("%s", r->checkpoint.c_str());
  });
}

}  // namespace cocoon::tools::log
