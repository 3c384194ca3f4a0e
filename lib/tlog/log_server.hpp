#pragma once
// The log's HTTP interface:
//   POST /add        body = one entry; answer 200 "<index>\n" followed by the signed checkpoint that
//                    covers it (a duplicate gets its existing index); 413 when over the entry limit
//   GET /checkpoint  the current signed checkpoint
//   GET /log.pub     the log's verifier key
//   GET /tile/...    hash tiles and entry bundles (canonical C2SP paths only; others 400)
// Readers need only the GET part, which is plain files: nginx serving the log directory is equivalent.
#include <filesystem>

#include "tlog/http_server.hpp"
#include "tlog/sequencer.hpp"

namespace cocoon::tlog {

struct LogServerOptions {
  std::size_t max_entry_bytes = 1 << 20;  // never above kMaxEntrySize, the bundle format's limit
};

// A handler for HttpServer; `sequencer` must outlive it.
HttpHandler make_log_handler(const std::filesystem::path& dir, Sequencer& sequencer,
                             LogServerOptions options);

}  // namespace cocoon::tlog
