#include "publish/log_attestations.hpp"

#include <algorithm>
#include <memory>

#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "core/escape.hpp"
#include "core/json.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"
#include "tlog/note.hpp"

namespace cocoon::publish {

namespace {

// Entries are read in chunks so that memory holds one chunk plus what is kept, not the whole window.
constexpr std::uint64_t kChunk = 256;

// The labels of an entry that is a DSSE in-toto attestation, or an error for anything else (a
// candidate, a verdict, TUF metadata, a malformed envelope: all simply not attestations).
Result<attest::ReleaseLabels> entry_labels(ByteView entry) {
  COCOON_ASSIGN(Json doc, parse_json(to_string(entry), "log entry"));
  COCOON_ASSIGN(attest::DsseEnvelope envelope, attest::parse_dsse_envelope(doc));
  if (envelope.payload_type != attest::kInTotoPayloadType)
    return make_error(Errc::invalid_input, "not an in-toto envelope");
  COCOON_ASSIGN(attest::Statement statement, attest::parse_statement(envelope.payload));
  return attest::attested_labels(statement);
}

}  // namespace

Result<LogAttestations> attestations_from_log(tlog::LogClient& client, std::string_view origin,
                                              const attest::ReleaseLabels& labels, std::uint64_t since,
                                              std::uint64_t max_entries) {
  COCOON_ASSIGN(tlog::VerifiedCheckpoint cp, client.checkpoint());
  const std::uint64_t size = cp.checkpoint.size;
  if (cp.checkpoint.origin != origin)
    return make_error(Errc::log_inconsistent, "the log's checkpoint names origin " +
                                                  printable(cp.checkpoint.origin, 200) + ", not the root's " +
                                                  std::string(origin));
  if (since > size)
    return make_error(Errc::invalid_input, "--since " + std::to_string(since) + " is beyond the log's size " +
                                               std::to_string(size));
  if (size - since > max_entries)
    return make_error(Errc::invalid_input,
                      "the log holds " + std::to_string(size - since) + " entries from index " +
                          std::to_string(since) + ", more than the " + std::to_string(max_entries) +
                          " one collection scans: give --since INDEX (e.g. the candidate's log index)");
  LogAttestations out;
  out.size = size;
  for (std::uint64_t begin = since; begin < size; begin += kChunk) {
    const std::uint64_t end = std::min(size, begin + kChunk);
    COCOON_ASSIGN(std::vector<Bytes> chunk, client.entries(begin, end, size));
    for (std::uint64_t i = 0; i < chunk.size(); ++i) {
      auto attested = entry_labels(chunk[i]);
      if (!attested.ok()) continue;
      if (!(*attested == labels)) {
        ++out.other_labels;
        continue;
      }
      out.files.push_back({"log entry #" + std::to_string(begin + i), std::move(chunk[i])});
    }
  }
  out.scanned = size - since;
  return out;
}

Result<LogAttestations> attestations_from_log(const std::string& location, long timeout_seconds,
                                              const release::CocoonPolicy& policy,
                                              const attest::ReleaseLabels& labels, std::uint64_t since,
                                              std::uint64_t max_entries) {
  COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(policy.log_verifier_key));
  std::unique_ptr<tlog::TileFetcher> fetcher;
  if (location.starts_with("http://") || location.starts_with("https://")) {
    std::string base = location.back() == '/' ? location : location + "/";
    COCOON_ASSIGN(tlog::HttpFetcher http, tlog::HttpFetcher::create(base, timeout_seconds));
    fetcher = std::make_unique<tlog::HttpFetcher>(std::move(http));
  } else {
    fetcher = std::make_unique<tlog::DirFetcher>(location);
  }
  tlog::LogClient client(*fetcher, log_key);
  return attestations_from_log(client, policy.log_origin, labels, since, max_entries);
}

}  // namespace cocoon::publish
