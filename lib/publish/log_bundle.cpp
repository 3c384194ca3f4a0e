#include "publish/log_bundle.hpp"

#include <set>

#include "crypto/hash.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/log_client.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::publish {

namespace {

constexpr const char* kWhat = "log bundle";

}  // namespace

Status verify_log_bundle(const tlog::LogBundle& bundle, const release::CocoonPolicy& policy,
                         const std::vector<LoggedEntry>& entries) {
  if (bundle.origin != policy.log_origin) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": log origin \"" + bundle.origin +
                                                  "\" is not the root's log \"" + policy.log_origin + "\"");
  }
  COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(policy.log_verifier_key));
  COCOON_ASSIGN(tlog::VerifiedCheckpoint cp,
                tlog::open_checkpoint(bundle.checkpoint, log_key, policy.log_origin));
  if (entries.size() != bundle.entries.size()) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": holds " +
                                                  std::to_string(bundle.entries.size()) + " entries, " +
                                                  std::to_string(entries.size()) + " expected");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const tlog::LogBundleEntry& e = bundle.entries[i];
    if (e.kind != entries[i].kind || e.sha256 != crypto::sha256_hex(entries[i].bytes)) {
      return make_error(Errc::log_inconsistent, std::string(kWhat) + ": entry " + std::to_string(i) + " (" +
                                                    e.kind + ") is not the expected " + entries[i].kind);
    }
    if (e.index >= cp.checkpoint.size) {
      return make_error(
          Errc::log_inconsistent,
          std::string(kWhat) + ": entry index " + std::to_string(e.index) + " is beyond the checkpoint size");
    }
    auto included = tlog::check_inclusion(e.inclusion_proof, cp.checkpoint.size, e.index,
                                          tlog::leaf_hash(entries[i].bytes), cp.checkpoint.root);
    if (!included.ok()) {
      return make_error(Errc::log_inconsistent,
                        std::string(kWhat) + ": " + e.kind + " entry " + std::to_string(e.index) +
                            " is not in the logged tree: " + included.error().message);
    }
  }
  std::set<std::string> cosigners;
  for (const auto& w : policy.witness_keys) {
    COCOON_ASSIGN(tlog::NoteVerifier witness, tlog::parse_verifier_key(w));
    if (tlog::verify_cosignature(cp.note, witness).ok())
      cosigners.insert(std::string(witness.key.begin(), witness.key.end()));
  }
  if (cosigners.size() < policy.witness_quorum) {
    return make_error(Errc::log_inconsistent, std::string(kWhat) + ": " + std::to_string(cosigners.size()) +
                                                  " witness cosignature(s), the root requires " +
                                                  std::to_string(policy.witness_quorum));
  }
  return Ok{};
}

Result<tlog::LogBundle> append_to_log(const std::filesystem::path& log_dir, const tlog::NoteSigner& signer,
                                      const std::vector<LoggedEntry>& entries) {
  COCOON_ASSIGN(tlog::LogWriter writer, tlog::LogWriter::open(log_dir, signer));
  std::vector<Bytes> raw;
  for (const auto& e : entries) raw.push_back(e.bytes);
  COCOON_ASSIGN(tlog::AppendResult appended, writer.append(raw));
  tlog::DirFetcher fetcher(log_dir);
  tlog::LogClient client(fetcher, signer.verifier());
  tlog::LogBundle bundle;
  bundle.origin = signer.name;
  bundle.checkpoint = appended.checkpoint;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    tlog::LogBundleEntry e;
    e.kind = entries[i].kind;
    e.sha256 = crypto::sha256_hex(entries[i].bytes);
    e.index = appended.entries[i].index;
    COCOON_ASSIGN(e.inclusion_proof, client.inclusion_proof(e.index, appended.size));
    bundle.entries.push_back(std::move(e));
  }
  return bundle;
}

}  // namespace cocoon::publish
