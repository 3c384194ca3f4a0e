// printable(), check_plain_name() and parse_json's limits: the rules every tool relies on when it
// prints or files a string it did not write.
#include <catch2/catch.hpp>

#include <string>

#include "core/escape.hpp"
#include "core/json.hpp"
#include "core/plain_name.hpp"

using namespace cocoon;

TEST_CASE("printable escapes controls, ESC, DEL and invalid UTF-8, and is idempotent") {
  CHECK(printable("ok target a") == "ok target a");
  CHECK(printable("a\nACCEPT") == "a\\x0aACCEPT");
  CHECK(printable("x\x1b[8mREJECT") == "x\\x1b[8mREJECT");
  CHECK(printable(std::string("nul\0z", 5)) == "nul\\x00z");
  CHECK(printable("del\x7f") == "del\\x7f");
  CHECK(printable("c:\\x0a") == "c:\\x0a");
  // Escaping an escaped text changes nothing: layers may each escape.
  const std::string once = printable("a\n\xff\x1b[8m\xe2\x80\xae\\");
  CHECK(printable(once) == once);
  CHECK(printable("bad \xff byte") == "bad \\xff byte");
  CHECK(printable("cut \xc3") == "cut \\xc3");  // truncated sequence
  CHECK(printable("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
  CHECK(printable("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
}

TEST_CASE("printable keeps printable UTF-8 and escapes C1 and bidirectional controls") {
  CHECK(printable("café — ✓ 日本") == "café — ✓ 日本");
  CHECK(printable("csi \xc2\x9b") == "csi \\xc2\\x9b");                   // U+009B
  CHECK(printable("rlo \xe2\x80\xae") == "rlo \\xe2\\x80\\xae");          // U+202E
  CHECK(printable("isolate \xe2\x81\xa6") == "isolate \\xe2\\x81\\xa6");  // U+2066
  CHECK(printable("rlm \xe2\x80\x8f") == "rlm \\xe2\\x80\\x8f");          // U+200F
  CHECK(printable(std::string(300, 'a'), 10) == "aaaaaaaaaa...");
  // Whatever the bytes, the result is one line of printable ASCII or UTF-8.
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  std::string shown = printable(all);
  CHECK(is_valid_utf8(shown));
  for (char c : shown) CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
}

TEST_CASE("check_plain_name refuses what would not be one plain file name or one line") {
  CHECK(check_plain_name("sample-node.tar.zst", "artifact name").ok());
  CHECK(check_plain_name("libnodecore.a", "artifact name").ok());
  CHECK(check_plain_name("résumé 2", "artifact name").ok());
  CHECK(check_plain_name(std::string(255, 'n'), "name").ok());
  for (std::string bad :
       {std::string(), std::string("."), std::string(".."), std::string("a/b"), std::string("-rf"),
        std::string("x\n0000000000000000000000000000000000000000000000000000000000000000  libnodecore"),
        std::string("a\rb"), std::string("esc\x1b[8m"), std::string("nul\0x", 5), std::string("del\x7f"),
        std::string("bad\xff"), std::string("rlo\xe2\x80\xae"), std::string("back\\slash"),
        std::string(256, 'n')}) {
    INFO(printable(bad));
    auto st = check_plain_name(bad, "artifact name");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == Errc::invalid_input);
    CHECK_THAT(st.error().message, Catch::Matchers::StartsWith("artifact name"));
    // The message shows the name escaped: one line, no raw control byte.
    CHECK(st.error().message.find('\n') == std::string::npos);
    CHECK(st.error().message.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("parse_json refuses nesting deeper than kMaxJsonDepth without recursing") {
  auto nested = [](std::size_t depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  CHECK(parse_json(nested(kMaxJsonDepth, '[', ']')).ok());
  auto deep = parse_json(nested(kMaxJsonDepth + 1, '[', ']'), "root.json");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code == Errc::invalid_input);
  CHECK_THAT(deep.error().message,
             Catch::Matchers::Contains("root.json nests arrays and objects deeper than 64"));
  // The 200 KB root of issue 13: refused, not a stack overflow.
  auto huge = parse_json(nested(100000, '[', ']'), "root.json");
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == Errc::invalid_input);
  // Objects count too, and brackets inside strings do not.
  std::string objects;
  for (std::size_t i = 0; i < kMaxJsonDepth + 1; ++i) objects += "{\"a\":";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  CHECK_FALSE(parse_json(objects).ok());
  CHECK(parse_json("[\"" + std::string(1000, '[') + "\\\"[[\"]").ok());
  // Deep but within the limit: canonical JSON of it works.
  auto ok = parse_json(nested(kMaxJsonDepth, '[', ']'));
  REQUIRE(ok.ok());
  CHECK(canonical_json(*ok).ok());
}

TEST_CASE("parse_json errors quote input bytes escaped, parse_secret_json quotes nothing") {
  auto bad = parse_json("{\"a\": \"\xff\"}", "timestamp.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::invalid_input);
  CHECK(is_valid_utf8(bad.error().message));
  CHECK(bad.error().message.find('\xff') == std::string::npos);
  const std::string seed = "02cf8d7a5b7e4a3d3c0b6f0e1d2c3b4a59687766554433221100ffeeddccbbaa";
  std::string text = "{\"seed\": \"" + seed + "\"x}";
  auto quoted = parse_json(text, "key");
  REQUIRE_FALSE(quoted.ok());
  auto secret = parse_secret_json(text, "alice.key");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.error().code == Errc::invalid_input);
  CHECK_THAT(secret.error().message, Catch::Matchers::StartsWith("alice.key is not valid JSON at byte"));
  CHECK(secret.error().message.find(seed.substr(0, 8)) == std::string::npos);
  auto dup = parse_secret_json("{\"seed\":\"" + seed + "\",\"seed\":\"00\"}", "alice.key");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message.find(seed.substr(0, 8)) == std::string::npos);
}

TEST_CASE("pretty_json stays valid JSON whatever bytes its strings hold") {
  Json j = {{"message", std::string("mirror said \xff\xfe\n\x1b[8m")}, {"ok", false}};
  std::string text = pretty_json(j);
  CHECK(is_valid_utf8(text));
  auto back = parse_json(text);
  REQUIRE(back.ok());
  CHECK((*back)["ok"] == false);
  CHECK(compact_json(j).find('\n') == std::string::npos);
}
