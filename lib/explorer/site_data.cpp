#include "explorer/site_data.hpp"

#include <algorithm>
#include <set>

#include "attest/dsse.hpp"
#include "attest/labels.hpp"
#include "attest/statement.hpp"
#include "core/time.hpp"
#include "crypto/hash.hpp"
#include "release/products.hpp"
#include "release/threshold.hpp"
#include "tlog/log_bundle.hpp"

namespace cocoon::explorer {

namespace {

// Members of untrusted JSON, read without ever throwing: a wrong type reads as absent.
std::string str(const Json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}
const Json* member(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}
std::optional<std::uint64_t> uint_member(const Json& obj, const char* key) {
  const Json* m = member(obj, key);
  if (!m || !m->is_number_unsigned()) return std::nullopt;
  return m->get<std::uint64_t>();
}
std::int64_t time_of(const std::string& rfc3339) {
  if (rfc3339.empty()) return 0;
  auto t = parse_rfc3339(rfc3339);
  return t.ok() ? static_cast<std::int64_t>(*t) : 0;
}

std::vector<crypto::PublicKey> builder_keys(const release::Root& root) {
  return root.policy ? root.policy->builder_keys : std::vector<crypto::PublicKey>{};
}

// The keys of the targets role as crypto::PublicKey, named as the policy names maintainers (or the
// FROST group), for DSSE checks of candidate entries.
std::vector<crypto::PublicKey> targets_keys(const release::Root& root) {
  std::vector<crypto::PublicKey> out;
  auto keys = release::ed25519_keys(root);
  auto role = root.roles.find(release::kRoleTargets);
  if (role == root.roles.end()) return out;
  for (const auto& id : role->second.keyids) {
    auto k = keys.find(id);
    if (k == keys.end()) continue;
    std::string name = id.substr(0, 12);
    if (root.policy) {
      auto n = root.policy->maintainer_names.find(id);
      if (n != root.policy->maintainer_names.end()) name = n->second;
    }
    if (root.frost && root.frost->keyid == id) name = "FROST group";
    out.push_back({name, k->second, id});
  }
  return out;
}

// Who a key id of the targets role is, for people: the maintainer's name, or the FROST group with
// its threshold and participants.
Json signer_json(const release::Root& root, const std::string& keyid) {
  Json s{{"keyid", keyid}, {"name", keyid.substr(0, 12)}};
  if (root.policy) {
    auto n = root.policy->maintainer_names.find(keyid);
    if (n != root.policy->maintainer_names.end()) s["name"] = n->second;
  }
  if (root.frost && root.frost->keyid == keyid) {
    Json names = Json::array();
    for (const auto& p : root.frost->participants) names.push_back(p.name);
    s["name"] = "FROST group";
    s["frost"] = {{"threshold", root.frost->threshold},
                  {"max_participants", root.frost->max_participants},
                  {"participants", names}};
  }
  return s;
}

// The first trusted key that signed the envelope, as {"name", "keyid"}; null when none did.
Json trusted_signer(const attest::DsseEnvelope& env, const std::vector<crypto::PublicKey>& trusted) {
  for (const auto& c : attest::dsse_check_signatures(env, trusted))
    if (c.outcome == attest::SignatureCheck::Outcome::valid && c.key)
      return Json{{"name", c.key->name}, {"keyid", c.key->keyid}};
  return nullptr;
}

EntryInfo other(std::string sha, std::string note) {
  EntryInfo e;
  e.kind = "other";
  e.sha256 = std::move(sha);
  e.summary = {{"note", std::move(note)}};
  return e;
}

EntryInfo classify_targets(const Json& doc, const release::Root& root, std::string sha) {
  auto env = release::parse_envelope(doc, "targets entry");
  if (!env) return other(std::move(sha), env.error().message);
  auto targets = release::parse_targets(env->signed_part);
  if (!targets) return other(std::move(sha), targets.error().message);
  EntryInfo e;
  e.kind = "targets";
  e.sha256 = std::move(sha);
  Json signers = Json::array();
  std::uint64_t threshold = 0;
  bool met = false;
  if (auto count = release::count_signatures(root, release::kRoleTargets, *env); count.ok()) {
    for (const auto& id : count->signed_by) signers.push_back(signer_json(root, id));
    threshold = count->threshold;
    met = count->met();
  }
  Json products = Json::object();
  if (auto ps = release::products_of(*targets); ps.ok()) {
    for (const auto& [name, p] : *ps) {
      Json files = Json::array();
      for (const auto& [path, file_sha] : p.files) {
        const auto& info = targets->targets.at(path);
        Json attestations = Json::array(), image_hashes = Json::array();
        if (info.custom) {
          const Json* cocoon = member(*info.custom, "cocoon");
          if (const Json* a = cocoon ? member(*cocoon, "attestations") : nullptr; a && a->is_array())
            for (const auto& x : *a)
              if (x.is_string()) attestations.push_back(x);
          if (const Json* ih = cocoon ? member(*cocoon, "image_hashes") : nullptr; ih && ih->is_array())
            for (const auto& x : *ih)
              if (x.is_object())
                image_hashes.push_back(Json{{"image_hash", str(x, "image_hash")},
                                            {"host_profile", str(x, "host_profile")},
                                            {"role", str(x, "role")}});
        }
        files.push_back({{"path", path},
                         {"sha256", file_sha},
                         {"length", info.length},
                         {"attestations", attestations},
                         {"image_hashes", image_hashes}});
      }
      products[name] = {{"version", p.labels.version},
                        {"source_commit", p.labels.source_commit},
                        {"recipe_sha256", p.labels.recipe_sha256},
                        {"files", files}};
    }
  }
  std::string released;
  if (targets->release) released = str(*targets->release, "name");
  e.summary = {{"targets_version", targets->common.version},
               {"expires", format_rfc3339(targets->common.expires)},
               {"released", released},
               {"products", products},
               {"signers", signers},
               {"threshold", threshold},
               {"threshold_met", met}};
  return e;
}

EntryInfo classify_attestation(const attest::DsseEnvelope& env, const release::Root& root, std::string sha) {
  auto st = attest::parse_statement(env.payload);
  if (!st) return other(std::move(sha), st.error().message);
  EntryInfo e;
  e.kind = "attestation";
  e.sha256 = std::move(sha);
  Json subjects = Json::array();
  for (const auto& s : st->subjects) subjects.push_back({{"name", s.name}, {"sha256", s.sha256}});
  e.summary = {{"subjects", subjects}, {"signer", trusted_signer(env, builder_keys(root))}};
  if (auto labels = attest::attested_labels(*st); labels.ok()) {
    e.summary["product"] = labels->product;
    e.summary["version"] = labels->version;
  }
  const Json* run = member(st->predicate, "runDetails");
  const Json* meta = run ? member(*run, "metadata") : nullptr;
  e.time = meta ? time_of(str(*meta, "finishedOn")) : 0;
  return e;
}

EntryInfo classify_verdict(const attest::DsseEnvelope& env, const release::Root& root, std::string sha) {
  auto doc = parse_json(to_string(env.payload), "verdict payload");
  if (!doc || !doc->is_object()) return other(std::move(sha), "verdict payload is not a JSON object");
  const Json& v = *doc;
  EntryInfo e;
  e.kind = "verdict";
  e.sha256 = std::move(sha);
  Json subject = Json::object();
  if (const Json* s = member(v, "subject"); s && s->is_object()) {
    subject["kind"] = str(*s, "kind");
    if (auto i = uint_member(*s, "log_index")) subject["log_index"] = *i;
    if (auto t = uint_member(*s, "targets_version")) subject["targets_version"] = *t;
  }
  Json measurement = nullptr;
  if (const Json* m = member(v, "measurement"); m && m->is_object()) {
    const Json* matches = member(*m, "matches_release");
    measurement = Json{{"matches_release", matches && matches->is_boolean() ? *matches : Json(nullptr)}};
  }
  Json artifacts = Json::array();
  if (const Json* a = member(v, "artifacts"); a && a->is_array())
    for (const auto& x : *a)
      artifacts.push_back({{"name", str(x, "name")},
                           {"sha256", str(x, "sha256")},
                           {"expected_sha256", str(x, "expected_sha256")}});
  e.summary = {{"product", str(v, "product")},
               {"version", str(v, "version")},
               {"verdict", str(v, "verdict")},
               {"builder", str(v, "builder")},
               {"finished", str(v, "finished")},
               {"first_difference", str(v, "first_difference")},
               {"failure", str(v, "failure")},
               {"subject", subject},
               {"artifacts", artifacts},
               {"measurement", measurement},
               {"signer", trusted_signer(env, builder_keys(root))}};
  e.time = time_of(str(v, "finished"));
  return e;
}

EntryInfo classify_candidate(const attest::DsseEnvelope& env, const release::Root& root, std::string sha) {
  auto doc = parse_json(to_string(env.payload), "candidate payload");
  if (!doc || !doc->is_object()) return other(std::move(sha), "candidate payload is not a JSON object");
  EntryInfo e;
  e.kind = "candidate";
  e.sha256 = std::move(sha);
  const Json* source = member(*doc, "source");
  e.summary = {{"product", str(*doc, "product")},
               {"version", str(*doc, "version")},
               {"recipe_sha256", str(*doc, "recipe_sha256")},
               {"source_commit", source ? str(*source, "commit") : std::string()},
               {"created", str(*doc, "created")},
               {"signer", trusted_signer(env, targets_keys(root))}};
  e.time = time_of(str(*doc, "created"));
  return e;
}

// The witnesses' cosignatures on a release's checkpoint, checked here as the CLI checks them.
Json cosignatures_json(const tlog::Note& note, const release::CocoonPolicy& policy) {
  Json out = Json::array();
  for (const auto& text : policy.witness_keys) {
    auto key = tlog::parse_verifier_key(text);
    if (!key) continue;
    auto t = tlog::verify_cosignature(note, *key);
    Json w{{"name", key->name}, {"verifier_key", text}};
    if (t.ok()) {
      w["time"] = *t;
      w["valid"] = true;
    } else {
      w["valid"] = false;
      w["present"] = t.error().code != Errc::not_found;
    }
    out.push_back(w);
  }
  return out;
}

// One release: the targets entry at `index`, the product it released and what backs each artifact.
Json release_json(const SiteInputs& in, std::uint64_t index, const EntryInfo& targets,
                  const std::map<std::string, std::uint64_t>& index_of_sha,
                  const std::vector<EntryInfo>& infos, Json& growth) {
  const Json& s = targets.summary;
  std::uint64_t version = s["targets_version"].get<std::uint64_t>();
  Json rel{{"targets_version", version},
           {"entry", {{"index", index}, {"sha256", targets.sha256}}},
           {"signers", s["signers"]},
           {"threshold", s["threshold"]},
           {"threshold_met", s["threshold_met"]},
           {"expires", s["expires"]}};
  // The product this targets version released: x-cocoon-release names it; without it, every product.
  std::string product = s["released"].get<std::string>();
  std::vector<std::string> products;
  if (!product.empty() && s["products"].contains(product)) {
    products.push_back(product);
  } else {
    for (const auto& [name, _] : s["products"].items()) products.push_back(name);
  }
  Json releases_products = Json::array();
  Json attestations = Json::array();
  std::set<std::uint64_t> seen;
  for (const auto& name : products) {
    const Json& p = s["products"][name];
    Json artifacts = Json::array();
    for (const auto& f : p["files"]) {
      const std::string path = f["path"].get<std::string>();
      const std::string base = path.substr(path.find('/') + 1);
      Json builders = Json::array();
      for (const auto& a : f["attestations"]) {
        auto it = index_of_sha.find(a.get<std::string>());
        if (it == index_of_sha.end()) continue;
        const EntryInfo& att = infos[it->second];
        if (att.kind != "attestation") continue;
        const Json& signer = att.summary["signer"];
        bool covers = false;
        for (const auto& sub : att.summary["subjects"])
          covers = covers || (sub["name"] == base && sub["sha256"] == f["sha256"]);
        if (!signer.is_null() && covers) builders.push_back(signer["name"]);
        if (seen.insert(it->second).second)
          attestations.push_back({{"index", it->second},
                                  {"sha256", att.sha256},
                                  {"builder", signer.is_null() ? Json(nullptr) : signer["name"]},
                                  {"keyid", signer.is_null() ? Json(nullptr) : signer["keyid"]}});
      }
      artifacts.push_back({{"path", path},
                           {"name", base},
                           {"sha256", f["sha256"]},
                           {"length", f["length"]},
                           {"builders", builders},
                           {"image_hashes", f["image_hashes"]}});
    }
    releases_products.push_back({{"product", name},
                                 {"version", p["version"]},
                                 {"source_commit", p["source_commit"]},
                                 {"recipe_sha256", p["recipe_sha256"]},
                                 {"artifacts", artifacts}});
  }
  rel["products"] = releases_products;
  rel["attestations"] = attestations;
  // The log bundle the repository published with this version: its checkpoint carries the witnesses'
  // cosignatures, and the page checks that checkpoint is a prefix of the log it reads.
  std::optional<std::string> text = in.bundle ? in.bundle(version) : std::nullopt;
  rel["checkpoint"] = nullptr;
  if (text) {
    auto doc = parse_json(*text, "log bundle");
    auto bundle = doc ? tlog::parse_log_bundle(*doc) : Result<tlog::LogBundle>(doc.error());
    auto note = bundle ? tlog::parse_note(bundle->checkpoint) : Result<tlog::Note>(bundle.error());
    auto body = note ? tlog::parse_checkpoint_body(note->text) : Result<tlog::Checkpoint>(note.error());
    if (body) {
      Json cosigs = cosignatures_json(*note, *in.root.policy);
      rel["checkpoint"] = {{"note", bundle->checkpoint}, {"size", body->size}, {"cosignatures", cosigs}};
      std::int64_t first = 0;
      for (const auto& c : cosigs)
        if (c["valid"].get<bool>()) {
          auto t = c["time"].get<std::int64_t>();
          first = first == 0 ? t : std::min(first, t);
        }
      if (first != 0)
        growth.push_back({{"time", first},
                          {"size", body->size},
                          {"what", "targets version " + std::to_string(version) + " witnessed"}});
    } else {
      rel["bundle_error"] = body.error().message;
    }
  }
  return rel;
}

}  // namespace

EntryInfo classify_entry(ByteView entry, const release::Root& root) {
  std::string sha = crypto::sha256_hex(entry);
  auto doc = parse_json(to_string(entry), "log entry");
  if (!doc) return other(std::move(sha), "not JSON");
  if (!doc->is_object()) return other(std::move(sha), "not a JSON object");
  if (doc->contains("signed") && doc->contains("signatures")) {
    const Json* signed_part = member(*doc, "signed");
    if (signed_part && str(*signed_part, "_type") == release::kRoleTargets)
      return classify_targets(*doc, root, std::move(sha));
    return other(std::move(sha), "TUF metadata of role " + (signed_part ? str(*signed_part, "_type") : ""));
  }
  if (doc->contains("payloadType")) {
    auto env = attest::parse_dsse_envelope(*doc);
    if (!env) return other(std::move(sha), env.error().message);
    if (env->payload_type == attest::kInTotoPayloadType)
      return classify_attestation(*env, root, std::move(sha));
    if (env->payload_type == kVerdictPayloadType) return classify_verdict(*env, root, std::move(sha));
    if (env->payload_type == kCandidatePayloadType) return classify_candidate(*env, root, std::move(sha));
    return other(std::move(sha), "DSSE envelope of type " + env->payload_type);
  }
  return other(std::move(sha), "JSON of unknown shape");
}

Result<Json> site_data(const SiteInputs& in) {
  if (!in.root.policy)
    return make_error(Errc::invalid_input, "the root has no x-cocoon-policy: not a Cocoon root");
  const auto& policy = *in.root.policy;
  std::vector<EntryInfo> infos;
  infos.reserve(in.entries.size());
  std::map<std::string, std::uint64_t> index_of_sha;
  for (std::size_t i = 0; i < in.entries.size(); ++i) {
    infos.push_back(classify_entry(in.entries[i], in.root));
    index_of_sha.emplace(infos.back().sha256, i);  // the first time an entry was logged
  }

  Json growth = Json::array();
  Json releases = Json::array(), verdicts = Json::array(), candidates = Json::array();
  // Counts only: a list of every entry would grow the data file with the log, and the page needs none.
  Json entry_counts = Json::object();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    const EntryInfo& e = infos[i];
    entry_counts[e.kind] = entry_counts.value(e.kind, 0) + 1;
    if (e.kind == "targets") {
      releases.push_back(release_json(in, i, e, index_of_sha, infos, growth));
    } else if (e.kind == "verdict" || e.kind == "candidate") {
      Json v = e.summary;
      v["index"] = i;
      v["sha256"] = e.sha256;
      (e.kind == "verdict" ? verdicts : candidates).push_back(v);
    }
    // An attestation's time is when its build finished, not when it was logged: only entries whose
    // time is about logging (a verdict, a candidate) and the witnesses' cosignatures date the growth.
    if (e.time != 0 && e.kind != "attestation")
      growth.push_back({{"time", e.time},
                        {"size", i + 1},
                        {"what", e.kind + " logged (entry " + std::to_string(i) + ")"}});
  }
  std::stable_sort(growth.begin(), growth.end(), [](const Json& a, const Json& b) {
    return a["time"].get<std::int64_t>() < b["time"].get<std::int64_t>();
  });

  Json builders = Json::array();
  for (const auto& b : policy.builder_keys)
    builders.push_back(
        {{"keyid", b.keyid}, {"name", b.name}, {"public", hex_encode(ByteView(b.key.data(), b.key.size()))}});
  Json maintainers = Json::array();
  for (const auto& [id, name] : policy.maintainer_names)
    maintainers.push_back({{"keyid", id}, {"name", name}});
  Json frost = nullptr;
  if (in.root.frost) frost = signer_json(in.root, in.root.frost->keyid)["frost"];

  return Json{{"schema", kSchema},
              {"generated", in.generated},
              {"repo", in.repo},
              {"log",
               {{"origin", policy.log_origin},
                {"verifier_key", policy.log_verifier_key},
                {"base", in.log_base},
                {"size", in.checkpoint.size},
                {"checkpoint", in.checkpoint_note}}},
              {"witnesses", {{"quorum", policy.witness_quorum}, {"keys", policy.witness_keys}}},
              {"builders", builders},
              {"builder_threshold", policy.builder_threshold},
              {"maintainers", maintainers},
              {"targets_threshold", in.root.role(release::kRoleTargets).threshold},
              {"frost", frost},
              {"root_version", in.root.common.version},
              {"releases", releases},
              {"verdicts", verdicts},
              {"candidates", candidates},
              {"entry_counts", entry_counts},
              {"growth", growth}};
}

}  // namespace cocoon::explorer
