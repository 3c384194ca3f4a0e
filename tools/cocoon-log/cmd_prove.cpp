// cocoon-log prove --dir|--url SRC --index I [--size N]   inclusion proof of entry I
// cocoon-log prove --dir|--url SRC --from OLD [--to NEW]  consistency proof OLD -> NEW
// Prints the proof as base64 hashes, one per line (the input of check-proof), or with --json the
// proof's kind, sizes and hashes.
#include <cstdio>
#include <optional>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "common/renamed_option.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::tools::log {

namespace {

// The log key given, else D/log.pub, else <url>/log.pub. A proof is only data: check-proof verifies
// it against a key the verifier trusts, so fetching the key here costs no security.
Result<tlog::NoteVerifier> source_key(const std::string& given, const LogSource& src, tlog::TileFetcher& f) {
  if (!given.empty()) return load_note_verifier(given);
  if (!src.dir.empty()) return tlog::read_log_verifier(src.dir);
  COCOON_ASSIGN(Bytes raw, f.fetch("log.pub"));
  std::string s = to_string(raw);
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return tlog::parse_verifier_key(s);
}

}  // namespace

void add_prove_command(CLI::App& app, int& exit_code) {
  struct Args {
    LogSource src;
    std::string log_key;
    std::optional<std::uint64_t> index, size, from, to;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd =
      app.add_subcommand("prove", "print an inclusion or consistency proof read from the log's tiles");
  cmd->add_option("--dir", args->src.dir, "log directory");
  cmd->add_option("--url", args->src.url, "log base URL");
  cmd->add_option("--log-vkey", args->log_key,
                  "log verifier key (string or file; default: the log's log.pub)");
  add_renamed_option(cmd, "--log-key", "--log-vkey (a verifier key; --log-key is a secret key file)");
  cmd->add_option("--index", args->index, "entry index for an inclusion proof");
  cmd->add_option("--size", args->size, "tree size (default: the current checkpoint)");
  cmd->add_option("--from", args->from, "old tree size for a consistency proof");
  cmd->add_option("--to", args->to, "new tree size (default: the current checkpoint)");
  cmd->add_flag("--json", args->json, "print the proof as JSON (kind, sizes, base64 hashes)");
  cmd->callback([args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    if (args->index.has_value() == args->from.has_value())
      return fail(make_error(Errc::invalid_input, "give either --index or --from"));
    auto fetcher = open_source(args->src);
    if (!fetcher) return fail(fetcher.error());
    auto key = source_key(args->log_key, args->src, **fetcher);
    if (!key) return fail(key.error());
    tlog::LogClient client(**fetcher, *key);
    auto cp = client.checkpoint();
    if (!cp) return fail(cp.error());
    std::uint64_t current = cp->checkpoint.size;
    Result<tlog::Proof> proof = make_error(Errc::internal, "no proof computed");
    Json doc;
    if (args->index) {
      std::uint64_t size = args->size.value_or(current);
      if (size > current)
        return fail(make_error(Errc::invalid_input, "--size is beyond the log's checkpoint"));
      proof = client.inclusion_proof(*args->index, size);
      doc = {{"kind", "inclusion"}, {"index", *args->index}, {"size", size}};
    } else {
      std::uint64_t to = args->to.value_or(current);
      if (to > current) return fail(make_error(Errc::invalid_input, "--to is beyond the log's checkpoint"));
      proof = client.consistency_proof(*args->from, to);
      doc = {{"kind", "consistency"}, {"from", *args->from}, {"to", to}};
    }
    if (!proof) return fail(proof.error());
    if (args->json) {
      Json hashes = Json::array();
      for (const auto& h : *proof) hashes.push_back(base64_encode(h));
      doc["origin"] = key->name;
      doc["proof"] = hashes;
      print_json(doc);
      return;
    }
    std::printf("%s", tlog::format_proof(*proof).c_str());
  });
}

}  // namespace cocoon::tools::log
