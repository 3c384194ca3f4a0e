#pragma once
// How cocoon-log turns command-line key arguments into note keys.
#include <filesystem>
#include <memory>
#include <string>

#include "common/passphrase.hpp"
#include "core/result.hpp"
#include "tlog/note.hpp"
#include "tlog/tile.hpp"

namespace cocoon::tools::log {

// key.path is a cocoon secret key file (lib/crypto/key_file.hpp; when it is encrypted the passphrase
// comes from the option's sources, common/passphrase.hpp) or a file holding a C2SP signer key string
// "PRIVATE+KEY+<name>+<hash>+<base64>". The note key name is `name` (for a signer key string, its
// own name, which must then equal `name` when one is given).
Result<tlog::NoteSigner> load_note_signer(const SecretOption& key, const std::string& name);

// A verifier key string, or the path of a file holding one (such as a log's log.pub): what every
// `--<x>-vkey` option takes.
Result<tlog::NoteVerifier> load_note_verifier(const std::string& arg);

// --dir D or --url U: where a log is read from. Exactly one must be set.
struct LogSource {
  std::string dir;
  std::string url;
};
Result<std::unique_ptr<tlog::TileFetcher>> open_source(const LogSource& src);

}  // namespace cocoon::tools::log
