// Offline bundles (`cocoon-verify update --bundle FILE`, from whoever carries the file). A bundle that
// parses holds only relative paths without "." or ".." components, and formats into bytes that parse to
// the same files.
#include "fuzz_common.hpp"
#include "verify/offline_bundle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace v = cocoon::verify;
  auto files = v::parse_offline_bundle(cocoon::fuzz::bytes(data, size));
  if (!files) return 0;
  for (const auto& [path, content] : *files) {
    FUZZ_CHECK(!path.empty() && path[0] != '/');
    std::string_view rest = path;
    while (!rest.empty()) {
      std::string_view part = rest.substr(0, rest.find('/'));
      FUZZ_CHECK(!part.empty() && part != "." && part != "..");
      rest = part.size() == rest.size() ? std::string_view{} : rest.substr(part.size() + 1);
    }
  }
  std::string formatted = v::format_offline_bundle(*files);
  auto again = v::parse_offline_bundle(
      cocoon::ByteView(reinterpret_cast<const std::uint8_t*>(formatted.data()), formatted.size()));
  FUZZ_CHECK(again && *again == *files);
  return 0;
}
