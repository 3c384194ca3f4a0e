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
#include "core/json.hpp"
#include "frost_common.hpp"
#include "release/draft.hpp"
#include "release/products.hpp"
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

// With --json nothing is printed: each part adds itself to `doc` instead (docs/cli.md).
struct StatusOut {
  bool json = false;
  Json doc = Json::object();
};

void print_count(const release::Root& keys_from, const release::SignatureCount& c, const std::string& heading,
                 StatusOut& out) {
  if (out.json) {
    Json signed_by = Json::array(), missing = Json::array();
    for (const auto& k : c.signed_by) signed_by.push_back(key_label(keys_from, k));
    for (const auto& k : c.missing) missing.push_back(key_label(keys_from, k));
    out.doc["counts"].push_back({{"heading", heading},
                                 {"role", c.role},
                                 {"threshold", c.threshold},
                                 {"signed", signed_by},
                                 {"missing", missing},
                                 {"ignored", c.ignored},
                                 {"threshold_met", c.met()}});
    return;
  }
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
                               const std::vector<std::string>& shares, StatusOut& out) {
  std::string members;
  for (const auto& p : g.participants) members += (members.empty() ? "" : ", ") + p.name;
  if (out.json) out.doc["frost_group"] = {{"keyid", g.keyid}, {"t_of_n", g.t_of_n()}, {"members", members}};
  if (!out.json)
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
  if (out.json) {
    out.doc["frost_group"]["took_part"] = who;
    out.doc["frost_group"]["signature_in_draft"] = in_draft;
    return in_draft;
  }
  if (in_draft) {
    std::printf("  took part: %s — their verified shares make the group signature in the draft\n",
                printable(who).c_str());
    return true;
  }
  std::printf("  shares of %s verify, but the draft does not carry the signature they make%s\n",
              printable(who).c_str(), " (run `cocoon-sign frost aggregate` on the draft)");
  return false;
}

// What a root draft decides, for maintainers to read before signing: every role's keys and threshold
// (the online key is the snapshot and timestamp key), and the Cocoon policy.
void print_root_contents(const release::Root& root, StatusOut& out) {
  if (out.json) {
    Json roles = Json::object();
    for (const char* role :
         {release::kRoleRoot, release::kRoleTargets, release::kRoleSnapshot, release::kRoleTimestamp}) {
      const release::RoleKeys& r = root.role(role);
      Json keys = Json::array();
      for (const auto& k : r.keyids) keys.push_back(key_label(root, k));
      roles[role] = {{"threshold", r.threshold}, {"keys", keys}};
    }
    out.doc["roles"] = roles;
    if (root.policy) {
      const release::CocoonPolicy& p = *root.policy;
      Json builders = Json::array();
      for (const auto& b : p.builder_keys) builders.push_back(b.name.empty() ? b.keyid : b.name);
      out.doc["policy"] = {{"builders", builders},        {"builder_threshold", p.builder_threshold},
                           {"log_origin", p.log_origin},  {"log_vkey", p.log_verifier_key},
                           {"witnesses", p.witness_keys}, {"witness_quorum", p.witness_quorum}};
    } else {
      out.doc["policy"] = nullptr;
    }
    return;
  }
  for (const char* role :
       {release::kRoleRoot, release::kRoleTargets, release::kRoleSnapshot, release::kRoleTimestamp}) {
    const release::RoleKeys& r = root.role(role);
    std::string keys;
    for (const auto& k : r.keyids) keys += (keys.empty() ? "" : ", ") + key_label(root, k);
    std::printf("  role %-9s threshold %llu of %zu: %s\n", role, static_cast<unsigned long long>(r.threshold),
                r.keyids.size(), printable(keys).c_str());
  }
  if (!root.policy) {
    std::printf("  no x-cocoon-policy: a plain TUF root (no builders, log or witnesses)\n");
    return;
  }
  const release::CocoonPolicy& p = *root.policy;
  std::string builders;
  for (const auto& b : p.builder_keys)
    builders += (builders.empty() ? "" : ", ") + (b.name.empty() ? b.keyid.substr(0, 16) + "…" : b.name);
  std::printf("  builders: %llu of %zu must agree: %s\n",
              static_cast<unsigned long long>(p.builder_threshold), p.builder_keys.size(),
              printable(builders).c_str());
  std::printf("  log: %s (key %s)\n", printable(p.log_origin).c_str(), printable(p.log_verifier_key).c_str());
  std::printf("  witnesses: quorum %llu of %zu\n", static_cast<unsigned long long>(p.witness_quorum),
              p.witness_keys.size());
  for (const auto& w : p.witness_keys) std::printf("    %s\n", printable(w).c_str());
}

// What a targets draft releases, per product, with every target's length and sha256: the values
// maintainers compare with their own rebuild before signing.
Status print_targets_contents(const release::Targets& t, StatusOut& out) {
  auto products = release::products_of(t);
  if (out.json) {
    Json targets = Json::array();
    for (const auto& [path, info] : t.targets) {
      auto sha = info.hashes.find("sha256");
      targets.push_back({{"path", path},
                         {"length", info.length},
                         {"sha256", sha == info.hashes.end() ? std::string() : sha->second}});
    }
    out.doc["targets"] = targets;
    if (products.ok()) out.doc["products"] = release::products_json(*products);
    return products.ok() || !t.release ? Status(Ok{}) : Status(products.error());
  }
  if (!products.ok()) {
    // Plain TUF targets (no labels): list the files only; publish under a Cocoon root refuses them.
    for (const auto& [path, info] : t.targets) {
      auto sha = info.hashes.find("sha256");
      std::printf("  %s %llu bytes sha256 %s\n", printable(path).c_str(),
                  static_cast<unsigned long long>(info.length),
                  printable(sha == info.hashes.end() ? "-" : sha->second).c_str());
    }
    return t.release ? Status(products.error()) : Status(Ok{});
  }
  std::string released;
  if (t.release && t.release->contains("name") && t.release->at("name").is_string())
    released = t.release->at("name").get<std::string>();
  for (const auto& [name, p] : *products) {
    std::printf("product %s %s%s\n  source commit %s, recipe sha256 %s\n", printable(name).c_str(),
                printable(p.labels.version).c_str(), name == released ? " (released by this version)" : "",
                printable(p.labels.source_commit).c_str(), printable(p.labels.recipe_sha256).c_str());
    for (const auto& [path, sha] : p.files) {
      std::printf("  %s %llu bytes sha256 %s\n", printable(path).c_str(),
                  static_cast<unsigned long long>(t.targets.at(path).length), printable(sha).c_str());
    }
  }
  return Ok{};
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string draft, root;
    std::vector<std::string> frost_commitments, frost_shares;
    bool json = false;
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
  cmd->add_flag("--json", args->json,
                "print the draft's contents and signature counts as one JSON object (docs/cli.md)");
  cmd->callback([args, &exit_code] {
    StatusOut out;
    out.json = args->json;
    out.doc["counts"] = Json::array();
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
        out.doc["role"] = type;
        out.doc["version"] = draft.common.version;
        out.doc["expires"] = format_rfc3339(draft.common.expires);
        if (!out.json)
          std::printf("root version %llu, expires %s\n",
                      static_cast<unsigned long long>(draft.common.version),
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
                      "current root (version " + std::to_string(trusted->common.version) + ")", out);
          met = met && old_count.met();
        } else if (draft.common.version > 1) {
          if (!out.json)
            std::printf("note: give --root CURRENT to count the signatures the current root requires\n");
          met = false;
        }
        print_root_contents(draft, out);
        COCOON_ASSIGN(auto own, release::count_signatures(draft, release::kRoleRoot, env));
        print_count(draft, own, "new root (its own keys)", out);
        met = met && own.met();
        if (draft.frost && out.json) {
          out.doc["frost_group"] = {{"keyid", draft.frost->keyid}, {"t_of_n", draft.frost->t_of_n()}};
        } else if (draft.frost) {
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
        out.doc["role"] = type;
        out.doc["version"] = t.common.version;
        out.doc["expires"] = format_rfc3339(t.common.expires);
        out.doc["release"] = t.release ? *t.release : Json(nullptr);
        if (!out.json)
          std::printf("targets version %llu%s, %zu target(s), expires %s\n",
                      static_cast<unsigned long long>(t.common.version), printable(release_name).c_str(),
                      t.targets.size(), printable(format_rfc3339(t.common.expires)).c_str());
        COCOON_TRY(print_targets_contents(t, out));
        COCOON_ASSIGN(auto count, release::count_signatures(*trusted, release::kRoleTargets, env));
        print_count(*trusted, count,
                    "targets role of root version " + std::to_string(trusted->common.version), out);
        met = count.met();
        if (trusted->frost) {
          COCOON_ASSIGN(bool made_here, print_frost_group(*trusted->frost, env, args->frost_commitments,
                                                          args->frost_shares, out));
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
    // Like a verdict, the JSON is printed for "not yet met" (exit 1) too: it says what is missing.
    if (out.json) {
      out.doc["threshold_met"] = *r;
      std::printf("%s", pretty_json(out.doc).c_str());
    }
    exit_code = *r ? kExitOk : kExitNegative;
  });
}

}  // namespace cocoon::tools::sign
