// `cocoon-sign frost aggregate`: check every share and combine them into one Ed25519 signature. For a
// TUF draft the signature goes into the draft's "signatures" under the group key's TUF key id.
#include <algorithm>
#include <cstdio>

#include "commands.hpp"
#include "common/cli_main.hpp"
#include "common/exit_codes.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "frost/message.hpp"
#include "frost_common.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

namespace {

struct Args {
  std::string group, message, out, into;
  std::vector<std::string> commitments, shares;
};

// The draft in MESSAGE, when MESSAGE is one (a JSON object with "signed"); nullopt for plain bytes.
Result<std::optional<release::Envelope>> load_draft(const std::string& path) {
  COCOON_ASSIGN(Bytes raw, read_file(path, std::uint64_t{64} << 20));
  auto doc = parse_json(to_string(raw), path);
  if (!doc.ok() || !doc->is_object() || !doc->contains("signed")) return std::optional<release::Envelope>{};
  COCOON_ASSIGN(release::Envelope env, release::parse_envelope(*doc, path));
  return std::optional<release::Envelope>(std::move(env));
}

Result<std::string> run(const Args& a) {
  COCOON_ASSIGN(frost::GroupFile group, frost::load_group_file(a.group));
  crypto::Ed25519PublicKey group_key{};
  std::copy(group.group.group_public_key.bytes().begin(), group.group.group_public_key.bytes().end(),
            group_key.begin());
  const std::string keyid = crypto::ed25519_key_id(group_key);
  COCOON_ASSIGN(std::optional<release::Envelope> draft, load_draft(a.message));
  if (!draft) {
    if (!a.into.empty())
      return make_error(Errc::invalid_input, a.message + " is not a TUF draft; --into needs one");
    if (a.out.empty())
      return make_error(Errc::invalid_input, "give --out for the raw signature of a plain message");
    COCOON_ASSIGN(frost::Signature sig, frost::ceremony_aggregate(a.group, a.message, to_paths(a.commitments),
                                                                  to_paths(a.shares), a.out));
    return hex_encode(sig);
  }
  // --out alone asks for the raw signature only; otherwise the draft is updated (or copied to --into).
  const bool write_draft = a.out.empty() || !a.into.empty();
  // Checked before any work: a second entry under the same key id would not count for more, and
  // replacing a signature silently would hide which shares made it.
  for (const auto& s : draft->signatures) {
    if (write_draft && s.keyid == keyid)
      return make_error(Errc::invalid_input,
                        a.message + " already carries a signature of FROST group key " + keyid);
  }
  // The message is the draft's signed part as read now: commitments and shares made over another
  // version of it are refused (they name a different message digest).
  COCOON_ASSIGN(std::string signed_text, release::signed_bytes(*draft));
  COCOON_ASSIGN(frost::Aggregated agg, frost::aggregate_files(group.group, to_bytes(signed_text),
                                                              to_paths(a.commitments), to_paths(a.shares)));
  if (!a.out.empty()) COCOON_TRY(write_file_atomic(a.out, ByteView(agg.signature)));
  const std::string target = !write_draft ? a.out : a.into.empty() ? a.message : a.into;
  if (write_draft) {
    draft->signatures.push_back({keyid, hex_encode(agg.signature)});
    COCOON_TRY(save_envelope_file(target, *draft));
  }
  std::string who;
  for (auto id : agg.signers) who += (who.empty() ? "" : ", ") + std::to_string(id);
  return "FROST group " + keyid.substr(0, 16) + "… (" + std::to_string(group.group.params.threshold) +
         " of " + std::to_string(group.group.params.max_participants) + "): shares of participants " + who +
         " verified; signature " + (write_draft ? "added to " : "written to ") + target;
}

}  // namespace

void add_frost_aggregate_command(CLI::App& frost, int& exit_code) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = frost.add_subcommand(
      "aggregate",
      "verify each share (naming any invalid one); add the group signature to a TUF draft, or write the "
      "raw 64-byte signature of a plain message");
  cmd->add_option("MESSAGE", args->message, "the message or TUF draft that was signed")->required();
  cmd->add_option("--group", args->group, "the public group file")->required();
  cmd->add_option("--commitments", args->commitments, "the signers' commitments (files or directories)")
      ->required();
  cmd->add_option("--shares", args->shares, "the signature shares (files or directories)")->required();
  cmd->add_option("--out", args->out,
                  "where to write the raw 64-byte signature (required for a plain message; for a draft, "
                  "without --into, only this is written)");
  cmd->add_option("--into", args->into,
                  "for a TUF draft: write the signed draft here instead of updating MESSAGE in place");
  cmd->callback([args, &exit_code] { finish_command("cocoon-sign", run(*args), exit_code); });
}

}  // namespace cocoon::tools::sign
