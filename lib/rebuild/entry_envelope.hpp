#pragma once
// The DSSE wrapping both entry kinds share: signing a payload into a compact log entry within the
// log's size limit, and opening an entry of one payload type against a set of trusted keys.
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::rebuild::detail {

// The log stores an entry behind a 2-byte length (tlog/tile.hpp kMaxEntrySize); rebuild does not
// depend on tlog, so the limit is repeated here and a test checks the two agree.
inline constexpr std::size_t kMaxLogEntryBytes = 65535;

// The canonical JSON of a DSSE envelope holding `payload`, signed by `key`. invalid_input when it
// would not fit in a log entry.
Result<Bytes> sign_entry(const char* payload_type, Bytes payload, const crypto::SecretKey& key,
                         std::string_view what);

struct OpenedEntry {
  Bytes payload;             // the signed bytes, not yet parsed
  crypto::PublicKey signer;  // the first trusted key whose signature verified
};

// Parses the envelope, requires `payload_type`, and requires a valid signature by one of `trusted`.
// invalid_input: not JSON, not a DSSE envelope, another payload type, over the size limit;
// signature: no entry verifies under a trusted key.
Result<OpenedEntry> open_entry(ByteView entry, const char* payload_type,
                               const std::vector<crypto::PublicKey>& trusted, std::string_view what);

}  // namespace cocoon::rebuild::detail
