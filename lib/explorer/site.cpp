#include "explorer/site.hpp"

#include <cstring>
#include <system_error>

#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "explorer/assets.hpp"
#include "explorer/site_data.hpp"
#include "tlog/log_client.hpp"

namespace cocoon::explorer {

// Bundles are small JSON files; a bigger one is not read.
constexpr std::size_t kMaxBundleBytes = 1 << 20;

Status check_log_base(const std::string& base) {
  auto bad = [&](const std::string& why) {
    return make_error(Errc::invalid_input, "--log-base " + printable(base) + ": " + why);
  };
  if (base.empty() || base.back() != '/') return bad("must end with '/'");
  if (base.size() > 2048) return bad("longer than 2048 bytes");
  for (unsigned char c : base)
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>' || c == '`')
      return bad("holds a space, quote, backslash, angle bracket or control character");
  // A scheme other than http(s) ("javascript:", "data:") would not be a place to read a log from.
  auto colon = base.find(':');
  auto slash = base.find('/');
  if (colon != std::string::npos && colon < slash && !base.starts_with("http://") &&
      !base.starts_with("https://"))
    return bad("only a relative path or an http(s) URL");
  return {};
}

Result<SiteSummary> write_site(const SiteOptions& o) {
  if (!o.log || !o.repo) return make_error(Errc::internal, "write_site: no log or repository fetcher");
  COCOON_TRY(check_log_base(o.log_base));
  if (!o.root.policy)
    return make_error(Errc::invalid_input, "the root has no x-cocoon-policy: not a Cocoon root");
  COCOON_ASSIGN(tlog::NoteVerifier log_key, tlog::parse_verifier_key(o.root.policy->log_verifier_key));
  tlog::LogClient client(*o.log, log_key);
  COCOON_ASSIGN(tlog::VerifiedCheckpoint cp, client.checkpoint());
  const std::uint64_t size = cp.checkpoint.size;
  if (size > o.max_entries)
    return make_error(Errc::invalid_input, "the log holds " + std::to_string(size) + " entries, more than " +
                                               std::to_string(o.max_entries) + " (--max-entries)");
  // The entries are checked against the level-0 tiles; the tiles against the signed root here, so the
  // site never shows an entry the checkpoint does not commit to.
  COCOON_ASSIGN(tlog::Hash root, client.root(size));
  if (root != cp.checkpoint.root)
    return make_error(Errc::log_inconsistent, "the log's tiles do not hash to its checkpoint's root");
  COCOON_ASSIGN(std::vector<Bytes> entries, client.entries(0, size, size));

  SiteInputs in;
  in.root = o.root;
  in.checkpoint_note = tlog::format_note(cp.note);
  in.checkpoint = cp.checkpoint;
  in.entries = std::move(entries);
  in.log_base = o.log_base;
  in.repo = o.repo_label;
  in.generated = format_rfc3339(now_unix());
  Error bundle_error{Errc::internal, {}};
  bool bundle_failed = false;
  in.bundle = [&](std::uint64_t version) -> std::optional<std::string> {
    auto bytes = o.repo->fetch("log/" + std::to_string(version) + ".targets.bundle.json");
    if (!bytes) {
      // A repository without a bundle for this version shows the release without cosignatures; one
      // that cannot be read at all is an error, not an empty page.
      if (bytes.error().code != Errc::not_found && !bundle_failed) {
        bundle_failed = true;
        bundle_error = bytes.error();
      }
      return std::nullopt;
    }
    if (bytes->size() > kMaxBundleBytes) return std::nullopt;
    return to_string(*bytes);
  };
  COCOON_ASSIGN(Json data, site_data(in));
  if (bundle_failed) return bundle_error;

  std::error_code ec;
  std::filesystem::create_directories(o.out, ec);
  if (ec) return make_error(Errc::io, "cannot create " + printable(o.out.string()) + ": " + ec.message());
  COCOON_TRY(write_file_atomic(o.out / "index.html", index_html()));
  COCOON_TRY(write_file_atomic(o.out / "explorer.css", explorer_css()));
  COCOON_TRY(write_file_atomic(o.out / "explorer.js", explorer_js()));
  COCOON_TRY(write_file_atomic(o.out / "explorer-data.json", pretty_json(data)));

  SiteSummary s;
  s.log_size = size;
  s.releases = data["releases"].size();
  s.verdicts = data["verdicts"].size();
  s.candidates = data["candidates"].size();
  s.index = o.out / "index.html";
  return s;
}

}  // namespace cocoon::explorer
