// cocoon-log check-proof --log-vkey K --checkpoint CP --proof P (--index I --entry FILE |
// --old-checkpoint OLD) [--json]: verifies an inclusion proof of an entry, or a consistency proof
// between two checkpoints, against checkpoints signed by the log key. Exit 0 only when everything
// verifies.
#include <cstdio>
#include <optional>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "common/renamed_option.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/log_client.hpp"

namespace cocoon::tools::log {

void add_check_proof_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string log_key, checkpoint, proof, entry, old_checkpoint, origin;
    std::optional<std::uint64_t> index;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("check-proof", "verify an inclusion or consistency proof");
  cmd->add_option("--log-vkey", args->log_key, "log verifier key (string or file)")->required();
  add_renamed_option(cmd, "--log-key", "--log-vkey (a verifier key; --log-key is a secret key file)");
  cmd->add_option("--checkpoint", args->checkpoint, "signed checkpoint the proof leads to")->required();
  cmd->add_option("--proof", args->proof, "proof file (base64 hashes, one per line)")->required();
  cmd->add_option("--origin", args->origin, "expected log origin (default: the key's name)");
  cmd->add_option("--index", args->index, "entry index (inclusion proof)");
  cmd->add_option("--entry", args->entry, "entry file (inclusion proof)");
  cmd->add_option("--old-checkpoint", args->old_checkpoint, "older signed checkpoint (consistency proof)");
  cmd->add_flag("--json", args->json, "print the verdict as JSON (also when the proof is refused)");
  cmd->callback([args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    bool inclusion = args->index.has_value() || !args->entry.empty();
    if (inclusion == !args->old_checkpoint.empty())
      return fail(make_error(Errc::invalid_input, "give either --index and --entry, or --old-checkpoint"));
    if (inclusion && (!args->index || args->entry.empty()))
      return fail(make_error(Errc::invalid_input, "an inclusion proof needs both --index and --entry"));
    auto key = load_note_verifier(args->log_key);
    if (!key) return fail(key.error());
    auto open = [&](const std::string& path) -> Result<tlog::VerifiedCheckpoint> {
      COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 16));
      return tlog::open_checkpoint(text, *key, args->origin);
    };
    auto cp = open(args->checkpoint);
    if (!cp) return fail(cp.error());
    auto proof_text = read_text_file(args->proof, 1 << 16);
    if (!proof_text) return fail(proof_text.error());
    auto proof = tlog::parse_proof(*proof_text);
    if (!proof) return fail(proof.error());
    const tlog::Checkpoint& c = cp->checkpoint;
    if (inclusion) {
      auto entry = read_file(args->entry, tlog::kMaxEntrySize);
      if (!entry) return fail(entry.error());
      auto st = tlog::check_inclusion(*proof, c.size, *args->index, tlog::leaf_hash(*entry), c.root);
      Json doc = {{"kind", "inclusion"}, {"origin", c.origin}, {"index", *args->index}, {"size", c.size}};
      if (!st && args->json) {
        exit_code = refuse_with_json(doc, "INVALID", st.error());
        return;
      }
      if (!st) return fail(st.error());
      if (args->json) {
        doc["verdict"] = "VALID";
        doc["exit_code"] = kExitOk;
        print_json(doc);
        return;
      }
      std::printf("OK: entry %llu is in %s at tree size %llu\n",
                  static_cast<unsigned long long>(*args->index), printable(c.origin).c_str(),
                  static_cast<unsigned long long>(c.size));
    } else {
      auto old = open(args->old_checkpoint);
      if (!old) return fail(old.error());
      const tlog::Checkpoint& o = old->checkpoint;
      auto st = tlog::check_consistency(*proof, o.size, c.size, o.root, c.root);
      Json doc = {{"kind", "consistency"}, {"origin", c.origin}, {"from", o.size}, {"to", c.size}};
      if (!st && args->json) {
        exit_code = refuse_with_json(doc, "INVALID", st.error());
        return;
      }
      if (!st) return fail(st.error());
      if (args->json) {
        doc["verdict"] = "VALID";
        doc["exit_code"] = kExitOk;
        print_json(doc);
        return;
      }
      std::printf("OK: %s at size %llu extends size %llu\n", printable(c.origin).c_str(),
                  static_cast<unsigned long long>(c.size), static_cast<unsigned long long>(o.size));
    }
  });
}

}  // namespace cocoon::tools::log
