#include "watch/follow.hpp"

#include <algorithm>
#include <set>

#include "tlog/checkpoint.hpp"
#include "tlog/note.hpp"

namespace cocoon::watch {

namespace {

// A cosignature dated further than this into the future is not counted (as lib/verify does for nodes).
constexpr UnixSeconds kMaxCosignatureSkew = 10 * 60;
constexpr std::uint64_t kChunk = 256;  // one entry bundle; at most 16 MiB of entries in memory

// Asks the witnesses to cosign `note` (each proves consistency from what it saw before) and returns the
// note with every cosignature line received, plus why each witness that did not answer failed.
std::string gather_cosignatures(tlog::LogClient& client, const std::string& note,
                                const std::vector<tlog::WitnessEndpoint>& witnesses,
                                std::vector<std::string>& failures) {
  std::string out = note;
  auto prove = [&client](std::uint64_t old_size, std::uint64_t new_size) {
    return client.consistency_proof(old_size, new_size);
  };
  for (const auto& w : witnesses) {
    auto lines = tlog::request_cosignature(w, note, prove);
    if (!lines.ok()) {
      failures.push_back(w.url + ": " + lines.error().message);
      continue;
    }
    for (const auto& sig : *lines) out += tlog::format_signature_line(sig);
  }
  return out;
}

}  // namespace

bool is_log_fatal(const Error& error) {
  return error.code == Errc::rollback || error.code == Errc::log_inconsistent ||
         error.code == Errc::signature || error.code == Errc::invalid_input;
}

Result<FollowStep> follow_step(tlog::LogClient& client, const release::CocoonPolicy& policy,
                               const std::vector<tlog::WitnessEndpoint>& witnesses,
                               const std::optional<LogPosition>& previous, UnixSeconds now,
                               const EntrySink& on_entry) {
  auto log_key = tlog::parse_verifier_key(policy.log_verifier_key);
  if (!log_key.ok()) return make_error(Errc::invalid_input, "policy log key: " + log_key.error().message);
  const std::string key_text = tlog::format_verifier_key(*log_key);
  if (previous && previous->log_key != key_text)
    return make_error(Errc::invalid_input, "the state follows another log (" + previous->log_key +
                                               "), not the root's " + key_text);

  COCOON_ASSIGN(tlog::VerifiedCheckpoint fetched, client.checkpoint());
  std::string note_text = tlog::format_note(fetched.note);
  auto opened = tlog::open_checkpoint(note_text, *log_key, policy.log_origin);
  if (!opened.ok()) return make_error(Errc::signature, "log checkpoint refused: " + opened.error().message);
  const tlog::Checkpoint cp = opened->checkpoint;

  FollowStep step;
  step.old_size = previous ? previous->range.size : 0;
  // Rollback and fork first: a log that lies is refused whatever the witnesses say.
  if (previous) {
    if (cp.size < previous->range.size)
      return make_error(Errc::rollback, "the log shrank from size " + std::to_string(previous->range.size) +
                                            " to " + std::to_string(cp.size));
    if (cp.size == previous->range.size && cp.root != previous->root)
      return make_error(Errc::log_inconsistent, "fork: the log shows another tree of size " +
                                                    std::to_string(cp.size) + " than it showed before");
    if (cp.size > previous->range.size && previous->range.size > 0) {
      COCOON_ASSIGN(tlog::Proof proof, client.consistency_proof(previous->range.size, cp.size));
      auto consistent =
          tlog::check_consistency(proof, previous->range.size, cp.size, previous->root, cp.root);
      if (!consistent.ok())
        return make_error(Errc::log_inconsistent, "fork: the log of size " + std::to_string(cp.size) +
                                                      " does not extend the one read at size " +
                                                      std::to_string(previous->range.size) + ": " +
                                                      consistent.error().message);
    }
    if (cp.size == previous->range.size) {
      step.next = *previous;
      return step;  // nothing new; no witness needs asking again
    }
  }

  // The witness quorum, counted over distinct policy keys as a node counts it.
  std::string cosigned = note_text;
  if (policy.witness_quorum > 0) {
    std::vector<std::string> failures;
    cosigned = gather_cosignatures(client, note_text, witnesses, failures);
    COCOON_ASSIGN(tlog::Note note, tlog::parse_note(cosigned));
    std::set<crypto::Ed25519PublicKey> counted;
    for (const auto& text : policy.witness_keys) {
      auto witness = tlog::parse_verifier_key(text);
      if (!witness.ok())
        return make_error(Errc::invalid_input, "policy witness key: " + witness.error().message);
      auto when = tlog::verify_cosignature(note, *witness);
      if (!when.ok() || static_cast<UnixSeconds>(*when) > now + kMaxCosignatureSkew) continue;
      if (counted.insert(witness->key).second) step.witnesses.push_back(witness->name);
    }
    if (counted.size() < policy.witness_quorum) {
      std::string why;
      for (const auto& f : failures) why += "; " + f;
      if (witnesses.empty()) why = "; give the witnesses' URLs with --witness";
      return make_error(Errc::network, "the log checkpoint at size " + std::to_string(cp.size) +
                                           " is cosigned by " + std::to_string(counted.size()) +
                                           " trusted witness(es), the quorum is " +
                                           std::to_string(policy.witness_quorum) + why);
    }
  }

  step.next.log_key = key_text;
  step.next.checkpoint = cosigned;
  if (previous) step.next.range = previous->range;
  tlog::MerkleHasher hasher;
  for (std::uint64_t begin = step.next.range.size; begin < cp.size; begin += kChunk) {
    std::uint64_t end = std::min(cp.size, begin + kChunk);
    COCOON_ASSIGN(auto chunk, client.entries(begin, end, cp.size));
    if (chunk.size() != end - begin)
      return make_error(Errc::log_inconsistent, "the log returned " + std::to_string(chunk.size()) +
                                                    " entries for [" + std::to_string(begin) + ", " +
                                                    std::to_string(end) + ")");
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      step.next.range.append(hasher.leaf(chunk[i]), hasher);
      COCOON_TRY(on_entry(begin + i, chunk[i]));
    }
  }
  step.next.root = step.next.range.root(hasher);
  if (step.next.root != cp.root)
    return make_error(
        Errc::log_inconsistent,
        "the entries of " + cp.origin + " do not hash to its signed root at size " + std::to_string(cp.size));
  return step;
}

}  // namespace cocoon::watch
