#pragma once
// What the release commands of cocoon-sign (root, propose, sign, status, merge, publish) share: reading
// and writing metadata files; secret keys come from common/signing_key.hpp.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "common/signing_key.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "release/metadata.hpp"

namespace cocoon::tools::sign {

inline Result<release::Envelope> load_envelope_file(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 16u << 20));
  return release::parse_envelope_text(text, path.string());
}

inline Status save_envelope_file(const std::filesystem::path& path, const release::Envelope& envelope) {
  return write_file_atomic(path, release::envelope_text(envelope));
}

inline constexpr std::int64_t kDay = 86400;

}  // namespace cocoon::tools::sign
