#pragma once
// The transparency log `--log URL_OR_DIR` names (update and bundle read rebuild verdicts from it): an
// http(s) URL of any server of its files (cocoon-log serve, nginx), or its directory.
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "tlog/tile.hpp"
#include "verify/rebuild_verdicts.hpp"

namespace cocoon::tools::verify {

// Empty `url_or_dir`: no log (nullptr). Errc::not_found for a path that is not a directory.
Result<std::unique_ptr<tlog::TileFetcher>> open_log(const std::string& url_or_dir);

// Asks each witness URL (`--witness`, C2SP tlog-witness) to cosign the checkpoint a node read from the
// log, with the consistency proof from the size it holds; empty `urls`: no cosigner.
cocoon::verify::CheckpointCosigner witness_cosigner(std::vector<std::string> urls, long timeout_seconds);

}  // namespace cocoon::tools::verify
