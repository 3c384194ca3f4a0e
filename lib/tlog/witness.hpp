#pragma once
// A C2SP tlog-witness: cosigns a log's checkpoint only if it is consistent with the last checkpoint
// the witness cosigned for that log, and remembers the new one durably before answering.
//
// add-checkpoint request body (C2SP tlog-witness):
//   "old <size>\n" <base64 consistency proof hash "\n">* "\n" <signed checkpoint note>
// Answers: 200 with the cosignature line; 400 malformed or old > new size; 403 log signature does not
// verify; 404 unknown origin; 409 `old` is not the size the witness holds (body: that size, content
// type text/x.tlog.size); 422 consistency proof invalid.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/http_server.hpp"
#include "tlog/proof.hpp"
#include "tlog/sqlite.hpp"

namespace cocoon::tlog {

struct WitnessRequest {
  std::uint64_t old_size = 0;
  Proof proof;
  std::string checkpoint;  // the signed note
};
Result<WitnessRequest> parse_witness_request(std::string_view body);
std::string format_witness_request(const WitnessRequest& r);

// The outcome of one add-checkpoint request, as HTTP and as an error class for the CLI.
// Example: a checkpoint for an origin the witness does not know -> {404, "text/plain", "unknown log ...",
// Errc::not_found}.
struct WitnessAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;            // 200: the cosignature line(s); otherwise the reason
  Errc code = Errc::internal;  // meaningful when status != 200
  std::string cosigned_note;   // 200: the checkpoint with the cosignature appended
};

// Reads a logs file: one verifier key string per line (the key name is the log's origin); blank
// lines and lines starting with '#' are ignored. Refuses two keys for one origin.
Result<std::vector<NoteVerifier>> load_witness_logs(const std::filesystem::path& path);

class Witness {
 public:
  // `state` is the SQLite database holding, per origin, the last cosigned size and root.
  static Result<std::unique_ptr<Witness>> open(const std::filesystem::path& state, NoteSigner key,
                                               std::vector<NoteVerifier> logs);
  // Thread-safe; `now` is the cosignature timestamp in Unix seconds.
  WitnessAnswer add_checkpoint(std::string_view body, std::uint64_t now);
  // The verifier key string clients use to check this witness's cosignatures (alg 0x04).
  std::string cosignature_verifier_key() const;

 private:
  Witness(SqliteDb db, NoteSigner key, std::vector<NoteVerifier> logs)
      : db_(std::move(db)), key_(std::move(key)), logs_(std::move(logs)) {}
  SqliteDb db_;
  NoteSigner key_;
  std::vector<NoteVerifier> logs_;
  std::mutex mu_;
};

// HTTP handler: POST /add-checkpoint (C2SP tlog-witness); `witness` must outlive it. The clock is read
// here, in the I/O layer, and passed to the decision.
HttpHandler make_witness_handler(Witness& witness);

}  // namespace cocoon::tlog
