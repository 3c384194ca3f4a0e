#pragma once
// What the `cocoon-sign frost` commands share: the participant passphrase comes from the
// COCOON_PASSPHRASE environment variable (never from the command line, where `ps` would show it).
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "frost/ceremony.hpp"

namespace cocoon::tools::sign {

inline Result<frost::ParticipantState> participant_state(const std::string& dir) {
  const char* pass = std::getenv("COCOON_PASSPHRASE");
  if (pass == nullptr || *pass == '\0')
    return make_error(Errc::invalid_input,
                      "set COCOON_PASSPHRASE to the passphrase protecting the FROST state");
  return frost::ParticipantState{std::filesystem::path(dir), std::string(pass)};
}

inline std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

}  // namespace cocoon::tools::sign
