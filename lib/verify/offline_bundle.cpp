#include "verify/offline_bundle.hpp"

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "verify/updater.hpp"

namespace cocoon::verify {

std::string format_offline_bundle(const BundleFiles& files) {
  Json encoded = Json::object();
  for (const auto& [path, data] : files) encoded[path] = base64_encode(data);
  return pretty_json(Json{{"schema", kOfflineBundleSchema}, {"files", encoded}});
}

Result<BundleFiles> parse_offline_bundle(ByteView bytes) {
  COCOON_ASSIGN(Json doc, parse_json(to_string(bytes), "offline bundle"));
  auto bad = [](const std::string& m) { return make_error(Errc::invalid_input, "offline bundle: " + m); };
  if (!doc.is_object() || doc.size() != 2 || !doc.contains("schema") || !doc.contains("files")) {
    return bad("expected exactly \"schema\" and \"files\"");
  }
  if (doc["schema"] != kOfflineBundleSchema) return bad(std::string("schema is not ") + kOfflineBundleSchema);
  if (!doc["files"].is_object()) return bad("\"files\" must be an object");
  BundleFiles files;
  for (const auto& [path, value] : doc["files"].items()) {
    COCOON_TRY(check_relative_path(path));
    if (!value.is_string()) return bad(path + " is not a base64 string");
    auto data = base64_decode(value.get<std::string>());
    if (!data.ok()) return bad(path + ": " + data.error().message);
    files[path] = std::move(*data);
  }
  return files;
}

Result<BundleFiles> collect_offline_bundle(Fetcher& fetcher, const Bytes& root,
                                           const std::optional<std::string>& target, UnixSeconds now) {
  COCOON_ASSIGN(TempDir state, TempDir::create("cocoon-bundle-"));
  RecordingFetcher recorder(fetcher);
  UpdateOptions options;
  options.state = state.path();
  options.initial_root = root;
  options.target = target;
  options.now = now;
  UpdateReport report = run_update(recorder, options);
  if (!report.accepted()) return *report.error;
  return recorder.recorded();
}

}  // namespace cocoon::verify
