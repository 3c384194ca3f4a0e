#include "tlog/log_server.hpp"

#include "core/file_io.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/tile.hpp"

namespace cocoon::tlog {

namespace {

// Streamed from the open file: a tile of many megabytes costs one chunk per connection, not its size.
HttpReply file_reply(const std::filesystem::path& path, const std::string& content_type) {
  auto file = FileBody::open(path, kMaxLogFileSize);
  if (!file.ok()) {
    if (file.error().code == Errc::not_found) return text_reply(404, "not found\n");
    return text_reply(500, "cannot read the file\n");
  }
  return HttpReply{200, content_type, {}, std::move(*file)};
}

}  // namespace

HttpHandler make_log_handler(const std::filesystem::path& dir, Sequencer& sequencer,
                             LogServerOptions options) {
  std::size_t limit = std::min(options.max_entry_bytes, kMaxEntrySize);
  return [dir, &sequencer, limit](const HttpRequest& req) -> HttpReply {
    if (req.target == "/add") {
      if (req.method != "POST") return text_reply(405, "use POST /add\n");
      if (req.body.size() > limit)
        return text_reply(413, "entry of " + std::to_string(req.body.size()) +
                                   " bytes exceeds the limit of " + std::to_string(limit) + "\n");
      auto r = sequencer.submit(req.body);
      if (!r.ok()) {
        int status = r.error().code == Errc::invalid_input ? 400 : 503;
        return text_reply(status, r.error().message + "\n");
      }
      return text_reply(200, std::to_string(r->entry.index) + "\n" + r->checkpoint);
    }
    if (req.method != "GET") return text_reply(405, "only GET is allowed here\n");
    if (req.target == "/checkpoint") return text_reply(200, sequencer.checkpoint());
    if (req.target == "/log.pub") return file_reply(dir / "log.pub", "text/plain; charset=utf-8");
    if (req.target.starts_with("/tile/")) {
      auto parsed = parse_tile_path(std::string_view(req.target).substr(1));
      if (!parsed.ok()) return text_reply(400, parsed.error().message + "\n");
      return file_reply(dir / req.target.substr(1), "application/octet-stream");
    }
    return text_reply(404, "not found\n");
  };
}

}  // namespace cocoon::tlog
