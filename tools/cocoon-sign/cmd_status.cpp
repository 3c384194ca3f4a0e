// `cocoon-sign status DRAFT [--root ROOT]`: who has signed, who is missing, whether each threshold is
// met. Exit 0 when every threshold is met, 1 when the draft still needs signatures. When the root's
// targets key is a FROST group (x-cocoon-frost), the group is named and, given the ceremony's commitment
// and share files, so are the participants whose shares make the draft's signature.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "frost_common.hpp"
#include "release/draft.hpp"
#include "release/threshold.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

namespace {

std::string key_label(const release::Root& root, const std::string& keyid) {
  if (root.frost && root.frost->keyid == keyid)
    return "FROST group " + root.frost->t_of_n() + " (" + keyid.substr(0, 16) + "…)";
  if (root.policy) {
    auto it = root.policy->maintainer_names.find(keyid);
    if (it != root.policy->maintainer_names.end()) return it->second + " (" + keyid.substr(0, 16) + "…)";
  }
  return keyid;
}

void print_count(const release::Root& keys_from, const release::SignatureCount& c,
                 const std::string& heading) {
  std::printf("%s: %zu of %llu required signature(s) from distinct %s keys — %s\n",
              printable(heading).c_str(), c.signed_by.size(), static_cast<unsigned long long>(c.threshold),
              printable(c.role).c_str(), c.met() ? "threshold met" : "threshold NOT met");
  for (const auto& k : c.signed_by)
    std::printf("  signed:  %s\n", printable(key_label(keys_from, k)).c_str());
  for (const auto& k : c.missing) std::printf("  missing: %s\n", printable(key_label(keys_from, k)).c_str());
  for (const auto& i : c.ignored) std::printf("  ignored: %s\n", printable(i).c_str());
}

// The group behind the targets key, and — given the ceremony's commitments and shares — who made the
// signature in the draft: shares verified one by one against the root's verifying shares, combined, and
// compared with the draft's entry. Returns false when the shares do not make that signature.
Result<bool> print_frost_group(const release::FrostGroupRecord& g, const release::Envelope& env,
                               const std::vector<std::string>& commitments,
                               const std::vector<std::string>& shares) {
  std::string members;
  for (const auto& p : g.participants) members += (members.empty() ? "" : ", ") + p.name;
  std::printf("targets key %s… is a FROST group: any %s of %s\n", printable(g.keyid.substr(0, 16)).c_str(),
              printable(g.t_of_n()).c_str(), printable(members).c_str());
  if (commitments.empty() && shares.empty()) return true;
  if (commitments.empty() || shares.empty())
    return make_error(Errc::invalid_input, "give both --frost-commitments and --frost-shares");
  COCOON_ASSIGN(frost::PublicKeyPackage pkg, release::frost_public_package(g));
  COCOON_ASSIGN(std::string message, release::signed_bytes(env));
  COCOON_ASSIGN(frost::Aggregated agg,
                frost::aggregate_files(pkg, to_bytes(message), to_paths(commitments), to_paths(shares)));
  std::string who;
  for (auto id : agg.signers)
    who += (who.empty() ? "" : ", ") + g.name_of(id) + " (" + std::to_string(id) + ")";
  const std::string sig = hex_encode(agg.signature);
  bool in_draft = false;
  for (const auto& s : env.signatures) in_draft = in_draft || (s.keyid == g.keyid && s.sig == sig);
  if (in_draft) {
    std::printf("  took part: %s — their verified shares make the group signature in the draft\n",
                printable(who).c_str());
    return true;
  }
  std::printf("  shares of %s verify, but the draft does not carry the signature they make%s\n",
              printable(who).c_str(), " (run `cocoon-sign frost aggregate` on the draft)");
  return false;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string draft, root;
    std::vector<std::string> frost_commitments, frost_shares;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("status", "show who signed a draft and whether the threshold is met");
  cmd->add_option("draft", args->draft, "a root or targets draft")->required();
  cmd->add_option("--root", args->root,
                  "the trusted root: required for a targets draft; for a root draft, the root it replaces");
  cmd->add_option("--frost-commitments", args->frost_commitments,
                  "a FROST-signed targets draft: the signers' commitments (files or directories)");
  cmd->add_option("--frost-shares", args->frost_shares,
                  "a FROST-signed targets draft: the signature shares, to show who took part");
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<bool> {
      COCOON_ASSIGN(release::Envelope env, load_envelope_file(args->draft));
      COCOON_ASSIGN(std::string type, release::envelope_type(env));
      std::optional<release::Root> trusted;
      if (!args->root.empty()) {
        COCOON_ASSIGN(release::Envelope root_env, load_envelope_file(args->root));
        COCOON_ASSIGN(release::Root r, release::verify_root_self_signed(root_env));
        trusted = std::move(r);
      }
      bool met = true;
      if (type == release::kRoleRoot) {
        COCOON_ASSIGN(release::Root draft, release::parse_root(env.signed_part));
        std::printf("root version %llu, expires %s\n", static_cast<unsigned long long>(draft.common.version),
                    printable(format_rfc3339(draft.common.expires)).c_str());
        if (trusted) {
          if (draft.common.version != trusted->common.version + 1) {
            return make_error(Errc::invalid_input, "the draft is root version " +
                                                       std::to_string(draft.common.version) +
                                                       ", the root it replaces is version " +
                                                       std::to_string(trusted->common.version));
          }
          COCOON_ASSIGN(auto old_count, release::count_signatures(*trusted, release::kRoleRoot, env));
          print_count(*trusted, old_count,
                      "current root (version " + std::to_string(trusted->common.version) + ")");
          met = met && old_count.met();
        } else if (draft.common.version > 1) {
          std::printf("note: give --root CURRENT to count the signatures the current root requires\n");
          met = false;
        }
        COCOON_ASSIGN(auto own, release::count_signatures(draft, release::kRoleRoot, env));
        print_count(draft, own, "new root (its own keys)");
        met = met && own.met();
        if (draft.frost) {
          std::printf("targets of this root are signed by FROST group %s… (any %s participants)\n",
                      printable(draft.frost->keyid.substr(0, 16)).c_str(),
                      printable(draft.frost->t_of_n()).c_str());
        }
      } else if (type == release::kRoleTargets) {
        if (!trusted)
          return make_error(Errc::invalid_input, "a targets draft needs --root (the trusted root.json)");
        COCOON_ASSIGN(release::Targets t, release::parse_targets(env.signed_part));
        std::string release_name;
        if (t.release && t.release->contains("name") && t.release->contains("version")) {
          release_name = " — release " + compact_json(t.release->at("name")) + " " +
                         compact_json(t.release->at("version"));
        }
        std::printf("targets version %llu%s, %zu target(s), expires %s\n",
                    static_cast<unsigned long long>(t.common.version), printable(release_name).c_str(),
                    t.targets.size(), printable(format_rfc3339(t.common.expires)).c_str());
        COCOON_ASSIGN(auto count, release::count_signatures(*trusted, release::kRoleTargets, env));
        print_count(*trusted, count,
                    "targets role of root version " + std::to_string(trusted->common.version));
        met = count.met();
        if (trusted->frost) {
          COCOON_ASSIGN(bool made_here,
                        print_frost_group(*trusted->frost, env, args->frost_commitments, args->frost_shares));
          met = met && made_here;
        } else if (!args->frost_commitments.empty() || !args->frost_shares.empty()) {
          return make_error(Errc::invalid_input, "the trusted root names no FROST group for targets");
        }
      } else {
        return make_error(Errc::invalid_input,
                          args->draft + " is " + type + " metadata, not a root or targets draft");
      }
      return met;
    };
    auto r = run();
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    exit_code = *r ? kExitOk : kExitNegative;
  });
}

}  // namespace cocoon::tools::sign
