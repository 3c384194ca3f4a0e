#pragma once
// What `--version` reports. Defined in a source file generated at build time (cmake/BuildInfo.cmake)
// that only the tools link, so a new commit costs one compile and four links.
#include <string_view>

namespace cocoon::tools {

struct BuildInfo {
  std::string_view version;     // the project version, e.g. "0.1.0"
  std::string_view commit;      // `git describe --always --dirty`, -DCOCOON_GIT_COMMIT, or "unknown"
  std::string_view build_type;  // CMAKE_BUILD_TYPE, or "None" when it was empty
  std::string_view compiler;    // e.g. "GNU 12.2.0"
};

BuildInfo build_info();

}  // namespace cocoon::tools
