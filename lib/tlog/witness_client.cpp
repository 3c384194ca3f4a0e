#include "tlog/witness_client.hpp"

#include <charconv>

#include "tlog/checkpoint.hpp"
#include "tlog/http_client.hpp"
#include "tlog/witness.hpp"

namespace cocoon::tlog {

namespace {

// The first line of an answer body, for error messages.
std::string first_line(const Bytes& body) {
  std::string text = to_string(body).substr(0, 200);
  return text.substr(0, text.find('\n'));
}

Result<std::uint64_t> parse_size_answer(const Bytes& body, const std::string& who) {
  std::string text = to_string(body);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::uint64_t size = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    return make_error(Errc::invalid_input, who + ": 409 answer is not a tree size");
  return size;
}

}  // namespace

Result<std::vector<NoteSignature>> request_cosignature(const WitnessEndpoint& witness,
                                                       const std::string& checkpoint_note,
                                                       const ConsistencyProver& prove) {
  COCOON_ASSIGN(Note note, parse_note(checkpoint_note));
  COCOON_ASSIGN(Checkpoint cp, parse_checkpoint_body(note.text));
  std::string base = witness.url;
  if (base.empty() || base.back() != '/') base += '/';
  const std::string who = "witness " + base;
  COCOON_ASSIGN(HttpFetcher http, HttpFetcher::create(base, witness.timeout_seconds));

  WitnessRequest req{0, {}, checkpoint_note};
  // The first round may only teach us the size the witness holds. Other clients (a publisher, watching
  // builders) feed the same witness, so the size it holds may grow, up to ours, between two rounds:
  // asking again from the new size is safe (it only grows) and bounded.
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    std::string body = format_witness_request(req);
    COCOON_ASSIGN(HttpResponse resp, http.request("POST", "add-checkpoint", as_bytes(body), "text/plain"));
    switch (resp.status) {
      case 200: {
        // The answer is signature lines only; parse them as the signature block of this note.
        auto cosigned = parse_note(note.text + "\n" + to_string(resp.body));
        if (!cosigned.ok() || cosigned->signatures.empty())
          return make_error(Errc::invalid_input, who + ": answer is not cosignature lines");
        return cosigned->signatures;
      }
      case 409: {
        COCOON_ASSIGN(std::uint64_t held, parse_size_answer(resp.body, who));
        if (held > cp.size) {
          return make_error(Errc::rollback, who + " has cosigned size " + std::to_string(held) +
                                                ", larger than this checkpoint's " + std::to_string(cp.size));
        }
        if (round == kRounds - 1) {
          return make_error(Errc::log_inconsistent,
                            who + " changed its size to " + std::to_string(held) + " during the request");
        }
        req.old_size = held;
        req.proof.clear();
        if (held > 0 && held < cp.size) {
          COCOON_ASSIGN(req.proof, prove(held, cp.size));
        }
        continue;
      }
      case 403:
        return make_error(Errc::signature, who + " refused the log signature: " + first_line(resp.body));
      case 404:
        return make_error(Errc::not_found, who + " does not witness this log: " + first_line(resp.body));
      case 400:
      case 422:
        return make_error(Errc::log_inconsistent, who + " refused the checkpoint (HTTP " +
                                                      std::to_string(resp.status) +
                                                      "): " + first_line(resp.body));
      default:
        return make_error(Errc::network,
                          who + ": HTTP " + std::to_string(resp.status) + " " + first_line(resp.body));
    }
  }
  return make_error(Errc::internal, who + ": no answer");
}

}  // namespace cocoon::tlog
