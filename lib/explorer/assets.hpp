#pragma once
// The static files of the explorer site, compiled in from lib/explorer/assets/ (CMake embeds them,
// so the tool needs no data directory at run time).
#include <string_view>

namespace cocoon::explorer {

std::string_view index_html();
std::string_view explorer_css();
std::string_view explorer_js();

}  // namespace cocoon::explorer
