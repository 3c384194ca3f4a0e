// The passphrase sources of tools/common/passphrase.hpp: their order, the per-option variable names,
// the one prompt spelling, and the checks on passphrase files.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <map>

#include "common/passphrase.hpp"
#include "core/file_io.hpp"

namespace {

using cocoon::tools::PassphraseSources;
using cocoon::tools::SecretOption;

// An environment and a terminal the test controls; records the prompts shown.
struct FakeWorld {
  std::map<std::string, std::string> env;
  std::optional<std::string> typed;  // nullopt: no terminal
  std::vector<std::string> prompts;

  PassphraseSources sources() {
    PassphraseSources s;
    s.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    s.prompt = [this](const std::string& prompt, bool) -> cocoon::Result<std::optional<std::string>> {
      prompts.push_back(prompt);
      return typed;
    };
    return s;
  }
};

SecretOption online_key(const std::string& file = "") {
  SecretOption o("online-key", "online key");
  o.path = "keys/online.key";
  o.passphrase_file = file;
  return o;
}

std::string write_secret_file(const cocoon::TempDir& dir, const std::string& name, const std::string& text,
                              mode_t mode = 0600) {
  std::string path = (dir.path() / name).string();
  REQUIRE(cocoon::write_file_atomic(path, text).ok());
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path;
}

}  // namespace

TEST_CASE("passphrase: variable names follow the option name", "[tools][passphrase]") {
  CHECK(cocoon::tools::passphrase_env_name("online-key") == "COCOON_ONLINE_KEY_PASSPHRASE");
  CHECK(cocoon::tools::passphrase_env_name("log-key") == "COCOON_LOG_KEY_PASSPHRASE");
  CHECK(cocoon::tools::passphrase_env_name("key") == "COCOON_KEY_PASSPHRASE");
  CHECK(cocoon::tools::passphrase_env_name("state") == "COCOON_STATE_PASSPHRASE");
}

TEST_CASE("passphrase: one prompt spelling, the path escaped", "[tools][passphrase]") {
  CHECK(cocoon::tools::passphrase_prompt("online key", "keys/online.key") ==
        "Passphrase for online key (keys/online.key): ");
  std::string shown = cocoon::tools::passphrase_prompt("log key", "a\x1b]0;pwned\x07.key");
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\x07') == std::string::npos);
}

TEST_CASE("passphrase: file, then the option's variable, then COCOON_PASSPHRASE, then the terminal",
          "[tools][passphrase]") {
  auto dir = cocoon::TempDir::create("passphrase-").value();
  std::string file = write_secret_file(dir, "pw", "from-file\nsecond line ignored\n");
  FakeWorld w;
  w.env = {{"COCOON_ONLINE_KEY_PASSPHRASE", "from-own-variable"},
           {"COCOON_PASSPHRASE", "from-shared-variable"}};
  w.typed = "from-terminal";

  CHECK(cocoon::tools::passphrase_for(online_key(file), false, w.sources()).value() == "from-file");
  CHECK(cocoon::tools::passphrase_for(online_key(), false, w.sources()).value() == "from-own-variable");
  // Another key's variable is not this key's.
  w.env.erase("COCOON_ONLINE_KEY_PASSPHRASE");
  w.env["COCOON_LOG_KEY_PASSPHRASE"] = "the-log-key's";
  CHECK(cocoon::tools::passphrase_for(online_key(), false, w.sources()).value() == "from-shared-variable");
  // An empty variable counts as unset.
  w.env["COCOON_PASSPHRASE"] = "";
  CHECK(cocoon::tools::passphrase_for(online_key(), false, w.sources()).value() == "from-terminal");
  CHECK(w.prompts == std::vector<std::string>{"Passphrase for online key (keys/online.key): "});
  // No source at all: the error names every way to give one, and no terminal was written to.
  w.env.clear();
  w.typed.reset();
  auto none = cocoon::tools::passphrase_for(online_key(), false, w.sources());
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == cocoon::Errc::invalid_input);
  CHECK(none.error().message.find("--online-key-passphrase-file") != std::string::npos);
  CHECK(none.error().message.find("COCOON_ONLINE_KEY_PASSPHRASE") != std::string::npos);
  CHECK(none.error().message.find("COCOON_PASSPHRASE") != std::string::npos);
}

TEST_CASE("passphrase: a passphrase file must exist, be private and hold a first line",
          "[tools][passphrase]") {
  auto dir = cocoon::TempDir::create("passphrase-").value();
  FakeWorld w;
  w.env = {{"COCOON_PASSPHRASE", "would-be-used-otherwise"}};

  auto missing =
      cocoon::tools::passphrase_for(online_key((dir.path() / "nope").string()), false, w.sources());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == cocoon::Errc::not_found);
  CHECK(missing.error().message.find("--online-key-passphrase-file") != std::string::npos);

  std::string shared = write_secret_file(dir, "shared", "s3cret-value\n", 0640);
  auto open_to_group = cocoon::tools::passphrase_for(online_key(shared), false, w.sources());
  REQUIRE_FALSE(open_to_group.ok());
  CHECK(open_to_group.error().code == cocoon::Errc::invalid_input);
  CHECK(open_to_group.error().message.find("chmod 600") != std::string::npos);
  CHECK(open_to_group.error().message.find("s3cret-value") == std::string::npos);

  std::string empty = write_secret_file(dir, "empty", "\nrest\n");
  CHECK(cocoon::tools::passphrase_for(online_key(empty), false, w.sources()).error().code ==
        cocoon::Errc::invalid_input);

  std::string crlf = write_secret_file(dir, "crlf", "windows line\r\n");
  CHECK(cocoon::tools::passphrase_for(online_key(crlf), false, w.sources()).value() == "windows line");
  std::string no_newline = write_secret_file(dir, "bare", "no newline at the end");
  CHECK(cocoon::tools::passphrase_for(online_key(no_newline), false, w.sources()).value() ==
        "no newline at the end");

  std::string huge = write_secret_file(dir, "huge", std::string(5000, 'x'));
  CHECK(cocoon::tools::passphrase_for(online_key(huge), false, w.sources()).error().code ==
        cocoon::Errc::invalid_input);
}
