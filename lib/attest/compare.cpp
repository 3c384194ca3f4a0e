#include "attest/compare.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cocoon::attest {
namespace {

namespace fs = std::filesystem;

std::string describe(const Builder& b) {
  return b.name.empty() ? b.keyid : b.name + " (" + b.keyid.substr(0, 16) + ")";
}

Json builder_json(const Builder& b) {
  return Json{{"keyid", b.keyid}, {"name", b.name}};
}

Json notices_json(const std::vector<Notice>& notices) {
  Json out = Json::array();
  for (const auto& n : notices) out.push_back(Json{{"source", n.source}, {"message", n.message}});
  return out;
}

}  // namespace

Result<CompareReport> compare_attestations(const std::vector<AttestationInput>& inputs,
                                           const std::vector<crypto::PublicKey>& trusted,
                                           const CompareOptions& options) {
  if (options.threshold < 1) return make_error(Errc::invalid_input, "threshold must be at least 1");
  if (trusted.empty()) return make_error(Errc::invalid_input, "the trusted builder list is empty");
  if (inputs.empty()) return make_error(Errc::invalid_input, "no attestations to compare");

  CompareReport report;
  report.threshold = options.threshold;
  report.strict = options.strict;

  // keyid -> artifact name -> digests that builder signed for it.
  std::map<std::string, std::map<std::string, std::set<std::string>>> claims;
  std::map<std::string, Builder> builders;
  std::map<std::string, std::string> first_source;  // keyid -> first attestation counted

  for (const auto& input : inputs) {
    std::vector<const crypto::PublicKey*> signers;
    for (const auto& check : dsse_check_signatures(input.envelope, trusted)) {
      switch (check.outcome) {
        case SignatureCheck::Outcome::valid:
          signers.push_back(check.key);
          break;
        case SignatureCheck::Outcome::untrusted_key:
          report.ignored.push_back(
              {input.source, "signature by untrusted key " +
                                 (check.keyid.empty() ? std::string("(no keyid)") : check.keyid) +
                                 " ignored"});
          break;
        case SignatureCheck::Outcome::bad_signature:
          report.ignored.push_back(
              {input.source, "signature claiming trusted key " + check.keyid +
                                 " does not verify (payload altered after signing?) — ignored"});
          break;
      }
    }
    if (signers.empty()) {
      report.ignored.push_back(
          {input.source, "no valid signature by a trusted builder: attestation not counted"});
      continue;
    }
    if (input.envelope.payload_type != kInTotoPayloadType) {
      report.ignored.push_back({input.source, "payloadType \"" + input.envelope.payload_type + "\" is not " +
                                                  kInTotoPayloadType + ": not counted"});
      continue;
    }
    auto statement = parse_statement(input.envelope.payload);
    if (!statement.ok()) {
      report.ignored.push_back({input.source, statement.error().message + ": not counted"});
      continue;
    }
    const BuilderClaim claim = builder_claim(*statement);
    for (const auto* key : signers) {
      Builder b{key->keyid, key->name};
      builders.emplace(key->keyid, b);
      if (signers.size() == 1 && !claim.id.empty() && claim.id != builder_id_for_keyid(key->keyid))
        report.warnings.push_back({input.source, "statement names builder \"" + claim.id +
                                                     "\" but is signed by " + describe(b) +
                                                     "; the signing key is what counts"});
      auto [it, first] = first_source.emplace(key->keyid, input.source);
      if (!first)
        report.warnings.push_back({input.source, "builder " + describe(b) + " already counted from " +
                                                     it->second + "; counted once"});
      auto& by_name = claims[key->keyid];
      for (const auto& s : statement->subjects) by_name[s.name].insert(s.sha256);
    }
  }

  // name -> digest -> keyids
  std::map<std::string, std::map<std::string, std::set<std::string>>> backing;
  std::set<std::string> names;
  for (const auto& [keyid, by_name] : claims) {
    for (const auto& [name, digests] : by_name) {
      names.insert(name);
      if (digests.size() > 1) {
        report.warnings.push_back({first_source[keyid], "builder " + describe(builders[keyid]) + " signed " +
                                                            std::to_string(digests.size()) +
                                                            " different digests for " + name +
                                                            "; none of them counted"});
        continue;
      }
      backing[name][*digests.begin()].insert(keyid);
    }
  }
  for (const auto& [keyid, b] : builders) report.builders.push_back(b);

  for (const auto& name : names) {
    ArtifactVerdict v;
    v.name = name;
    for (const auto& [sha, keyids] : backing[name]) {
      DigestBacking d{sha, {}};
      for (const auto& k : keyids) d.builders.push_back(builders[k]);
      v.digests.push_back(std::move(d));
    }
    std::stable_sort(v.digests.begin(), v.digests.end(), [](const DigestBacking& a, const DigestBacking& b) {
      return a.builders.size() > b.builders.size();
    });
    const std::size_t k = options.threshold;
    std::size_t top = v.digests.empty() ? 0 : v.digests[0].builders.size();
    std::size_t second = v.digests.size() > 1 ? v.digests[1].builders.size() : 0;
    v.dissent = v.digests.size() > 1;
    v.reproduced = top >= k && second < k;
    if (v.reproduced) v.agreed_sha256 = v.digests[0].sha256;
    if (!v.reproduced) {
      if (second >= k)
        report.failures.push_back(name + ": several different digests are each backed by at least " +
                                  std::to_string(k) + " builders");
      else
        report.failures.push_back(name + ": " + std::to_string(top) + " of the required " +
                                  std::to_string(k) + " builders agree on one digest");
    } else if (v.dissent && options.strict) {
      std::string who;
      for (size_t i = 1; i < v.digests.size(); ++i)
        for (const auto& b : v.digests[i].builders) who += (who.empty() ? "" : ", ") + describe(b);
      report.failures.push_back(name + ": dissent by " + who + " (strict)");
    }
    report.artifacts.push_back(std::move(v));
  }
  if (report.artifacts.empty())
    report.failures.push_back("no attestation by a trusted builder could be counted");
  report.pass = report.failures.empty();
  return report;
}

Json compare_report_json(const CompareReport& report) {
  Json artifacts = Json::array();
  for (const auto& a : report.artifacts) {
    Json digests = Json::array();
    for (const auto& d : a.digests) {
      Json bs = Json::array();
      for (const auto& b : d.builders) bs.push_back(builder_json(b));
      digests.push_back(Json{{"sha256", d.sha256}, {"builders", bs}});
    }
    artifacts.push_back(
        Json{{"name", a.name},
             {"reproduced", a.reproduced},
             {"dissent", a.dissent},
             {"agreed_sha256", a.agreed_sha256.empty() ? Json(nullptr) : Json(a.agreed_sha256)},
             {"digests", digests}});
  }
  Json builders = Json::array();
  for (const auto& b : report.builders) builders.push_back(builder_json(b));
  return Json{{"schema", "cocoon-compare/v1"},
              {"pass", report.pass},
              {"threshold", report.threshold},
              {"strict", report.strict},
              {"builders", builders},
              {"artifacts", artifacts},
              {"ignored", notices_json(report.ignored)},
              {"warnings", notices_json(report.warnings)},
              {"failures", report.failures}};
}

Result<std::vector<AttestationInput>> load_attestations(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(p, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path());
      if (ec) return make_error(Errc::io, "cannot list " + p.string() + ": " + ec.message());
      if (found.empty()) return make_error(Errc::not_found, p.string() + " holds no *.json attestations");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<AttestationInput> out;
  for (const auto& f : files) {
    COCOON_ASSIGN(auto env, load_dsse_envelope(f));
    out.push_back(AttestationInput{f.string(), std::move(env)});
  }
  return out;
}

}  // namespace cocoon::attest
