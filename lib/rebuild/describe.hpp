#pragma once
// One line about a candidate or verdict entry for a log monitor (cocoon-log monitor passes this to
// tlog::describe_entry). The signature is not checked: a monitor lists what was appended, whoever
// signed it; the line says "unverified" only by omission, like tlog's own attestation lines.
#include <optional>
#include <string>

#include "core/bytes.hpp"

namespace cocoon::rebuild {

// "candidate sample-node 0.1.0 recipe 114ccfe313af… commit 90755cf1c849…",
// "verdict reproduced sample-node 0.1.0 by builder-a for release #41",
// "candidate (malformed: <why>)" for an entry of our payloadType that does not parse;
// nullopt for every other entry. Everything quoted from the entry is escaped with printable().
std::optional<std::string> describe_entry(ByteView entry);

}  // namespace cocoon::rebuild
