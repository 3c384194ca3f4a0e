#include "frost/message.hpp"

#include "core/file_io.hpp"
#include "core/json.hpp"

namespace cocoon::frost {

Result<Bytes> load_message(const std::filesystem::path& path) {
  COCOON_ASSIGN(Bytes raw, read_file(path, std::uint64_t{64} << 20));
  std::size_t first = 0;
  while (first < raw.size() &&
         (raw[first] == ' ' || raw[first] == '\n' || raw[first] == '\r' || raw[first] == '\t'))
    ++first;
  if (first == raw.size() || raw[first] != '{') return raw;
  auto doc = parse_json(to_string(raw), path.filename().string());
  if (!doc.ok())
    return make_error(Errc::invalid_input,
                      "message file looks like JSON but does not parse: " + doc.error().message);
  if (!doc->is_object() || !doc->contains("signed")) return raw;
  COCOON_ASSIGN(std::string canonical, canonical_json(doc->at("signed")));
  return to_bytes(canonical);
}

}  // namespace cocoon::frost
