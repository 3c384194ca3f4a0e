#pragma once
// Opening a log directory for writing from the command line: the key comes from --key or, when
// absent, from the path `init` recorded in D/log.json.
#include <string>

#include "cocoon-log/keys.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "tlog/log_writer.hpp"

namespace cocoon::tools::log {

inline Result<tlog::LogWriter> open_log_for_writing(const std::string& dir, SecretOption key) {
  auto text = read_text_file(std::filesystem::path(dir) / "log.json", 1 << 16);
  if (!text.ok()) {
    if (text.error().code == Errc::not_found)
      return make_error(Errc::not_found, "no log in " + dir + " (no log.json)");
    return std::move(text).error();
  }
  COCOON_ASSIGN(Json config, parse_json(*text, "log.json"));
  if (!config.is_object() || !config.contains("origin") || !config["origin"].is_string() ||
      !config.contains("key") || !config["key"].is_string())
    return make_error(Errc::invalid_input, dir + "/log.json must hold string members origin and key");
  if (key.path.empty()) key.path = config["key"].get<std::string>();
  COCOON_ASSIGN(tlog::NoteSigner signer, load_note_signer(key, config["origin"].get<std::string>()));
  return tlog::LogWriter::open(dir, signer);
}

}  // namespace cocoon::tools::log
