#include "verify/offline_bundle.hpp"

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "verify/rebuild_verdicts.hpp"
#include "verify/updater.hpp"

namespace cocoon::verify {

std::string format_offline_bundle(const BundleFiles& files) {
  Json encoded = Json::object();
  for (const auto& [path, data] : files) encoded[path] = base64_encode(data);
  return pretty_json(Json{{"schema", kOfflineBundleSchema}, {"files", encoded}});
}

Result<BundleFiles> parse_offline_bundle(ByteView bytes) {
  // Parsed in place: a copy of the text would add the bundle's size again to the peak.
  COCOON_ASSIGN(Json doc,
                parse_json(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                           "offline bundle"));
  auto bad = [](const std::string& m) { return make_error(Errc::invalid_input, "offline bundle: " + m); };
  if (!doc.is_object() || doc.size() != 2 || !doc.contains("schema") || !doc.contains("files")) {
    return bad("expected exactly \"schema\" and \"files\"");
  }
  if (doc["schema"] != kOfflineBundleSchema) return bad(std::string("schema is not ") + kOfflineBundleSchema);
  if (!doc["files"].is_object()) return bad("\"files\" must be an object");
  BundleFiles files;
  // Each string is decoded from the document and then dropped, so the parsed text and the decoded
  // bytes are not both held whole.
  Json& listed = doc["files"];
  for (auto it = listed.begin(); it != listed.end(); ++it) {
    const std::string path = it.key();
    COCOON_TRY(check_relative_path(path));
    if (!it->is_string()) return bad(path + " is not a base64 string");
    auto data = base64_decode(it->get_ref<const std::string&>());
    if (!data.ok()) return bad(path + ": " + data.error().message);
    *it = nullptr;
    files[path] = std::move(*data);
  }
  return files;
}

Result<BundleFiles> collect_offline_bundle(Fetcher& fetcher, const Bytes& root,
                                           const std::optional<std::string>& target, UnixSeconds now,
                                           const BundleRebuilds& rebuilds) {
  COCOON_ASSIGN(TempDir state, TempDir::create("cocoon-bundle-"));
  RecordingFetcher recorder(fetcher);
  UpdateOptions options;
  options.state = state.path();
  options.initial_root = root;
  options.target = target;
  options.now = now;
  options.rebuild_log = rebuilds.log;
  options.rebuild_cosigner = rebuilds.cosigner;
  options.require_rebuilds = rebuilds.require_rebuilds;
  UpdateReport report = run_update(recorder, options);
  if (!report.accepted()) return *report.error;
  BundleFiles files = recorder.recorded();
  if (report.rebuild_evidence) {
    if (report.rebuild_evidence->size() > kMaxRebuildEvidenceBytes)
      return make_error(Errc::invalid_input, "the rebuild verdicts read from the log exceed " +
                                                 std::to_string(kMaxRebuildEvidenceBytes) + " bytes");
    files[kRebuildEvidencePath] = to_bytes(*report.rebuild_evidence);
  }
  return files;
}

}  // namespace cocoon::verify
