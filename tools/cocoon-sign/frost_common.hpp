#pragma once
// What the `cocoon-sign frost` commands share: the passphrase protecting a participant's state comes
// from the sources of its option (`--state`: --state-passphrase-file, COCOON_STATE_PASSPHRASE,
// COCOON_PASSPHRASE, the terminal; common/passphrase.hpp), never from the command line.
#include <filesystem>
#include <string>

#include "common/passphrase.hpp"
#include "core/result.hpp"
#include "frost/ceremony.hpp"

namespace cocoon::tools::sign {

// `creating`: the state is new, so a passphrase typed on the terminal is asked for twice.
inline Result<frost::ParticipantState> participant_state(const SecretOption& state, bool creating) {
  COCOON_ASSIGN(std::string passphrase, passphrase_for(state, creating));
  return frost::ParticipantState{std::filesystem::path(state.path), std::move(passphrase)};
}

inline std::vector<std::filesystem::path> to_paths(const std::vector<std::string>& names) {
  return {names.begin(), names.end()};
}

}  // namespace cocoon::tools::sign
