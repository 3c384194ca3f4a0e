#pragma once
// Loading a cocoon-measurement/v1 file for the verify commands.
#include <string>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "measure/verify.hpp"

namespace cocoon::tools::verify {

inline Result<measure::MeasurementCandidates> load_measurement_file(const std::string& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 256u << 20));
  COCOON_ASSIGN(Json doc, parse_json(text, path));
  auto c = measure::load_candidates(doc);
  if (!c) return make_error(c.error().code, path + ": " + c.error().message);
  return c;
}

}  // namespace cocoon::tools::verify
