#include "cocoon-log/keys.hpp"

#include "common/signing_key.hpp"
#include "core/file_io.hpp"
#include "crypto/key_file.hpp"
#include "tlog/dir_fetcher.hpp"
#include "tlog/http_client.hpp"

namespace cocoon::tools::log {

namespace {
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}
}  // namespace

Result<tlog::NoteSigner> load_note_signer(const SecretOption& key, const std::string& name) {
  COCOON_ASSIGN(std::string text, read_text_file(key.path, 1 << 20));
  if (text.starts_with("PRIVATE+KEY+")) {
    std::string line = trim(text);
    wipe_secret(text);
    auto s = tlog::parse_signer_key(line);
    wipe_secret(line);
    if (!s.ok()) return make_error(s.error().code, "--" + key.option + ": " + s.error().message);
    if (!name.empty() && s->name != name)
      return make_error(Errc::invalid_input,
                        "signer key " + key.path + " is named '" + s->name + "', expected '" + name + "'");
    return s;
  }
  wipe_secret(text);
  COCOON_ASSIGN(crypto::SecretKey secret, load_signing_key(key));
  return tlog::make_signer(name.empty() ? secret.name : name, secret.pair);
}

Result<tlog::NoteVerifier> load_note_verifier(const std::string& arg) {
  if (arg.find('+') != std::string::npos && !std::filesystem::exists(arg))
    return tlog::parse_verifier_key(arg);
  COCOON_ASSIGN(std::string text, read_text_file(arg, 4096));
  return tlog::parse_verifier_key(trim(text));
}

Result<std::unique_ptr<tlog::TileFetcher>> open_source(const LogSource& src) {
  if (src.dir.empty() == src.url.empty())
    return make_error(Errc::invalid_input, "give exactly one of --dir and --url");
  if (!src.dir.empty())
    return std::unique_ptr<tlog::TileFetcher>(std::make_unique<tlog::DirFetcher>(src.dir));
  COCOON_ASSIGN(auto http, tlog::HttpFetcher::create(src.url));
  return std::unique_ptr<tlog::TileFetcher>(std::make_unique<tlog::HttpFetcher>(std::move(http)));
}

}  // namespace cocoon::tools::log
