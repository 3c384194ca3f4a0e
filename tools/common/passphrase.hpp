#pragma once
// Where tools get a key-file passphrase: the COCOON_PASSPHRASE environment variable (for scripts and
// CI), otherwise a prompt on the controlling terminal with echo switched off. Never from argv, where
// other users could read it in the process list.
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace cocoon::tools {

inline constexpr const char* kPassphraseEnv = "COCOON_PASSPHRASE";

// `confirm` asks twice on a terminal and refuses a mismatch (used when creating a key). Fails with
// Errc::invalid_input when neither the variable nor a terminal is available.
Result<std::string> read_passphrase(std::string_view prompt, bool confirm);

}  // namespace cocoon::tools
