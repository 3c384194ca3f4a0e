#pragma once
// The bytes a FROST group signs, read from a file.
#include <filesystem>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace cocoon::frost {

// If the file is a JSON object with a "signed" member (a TUF metadata draft), the message is the OLPC
// canonical JSON of that member — exactly what a TUF client verifies. Any other file is signed as its
// raw bytes. A file that starts with '{' but does not parse as JSON (e.g. a draft with duplicate keys) is
// refused rather than silently signed as raw bytes.
// Example: {"signed":{"b":1,"a":2},"signatures":[]} -> the 13 bytes {"a":2,"b":1}
Result<Bytes> load_message(const std::filesystem::path& path);

}  // namespace cocoon::frost
