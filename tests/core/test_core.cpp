#include <sys/stat.h>
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/bytes.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

using namespace cocoon;

TEST_CASE("hex round trip and refusals") {
  Bytes b{0x00, 0x7f, 0x80, 0xff};
  CHECK(hex_encode(b) == "007f80ff");
  auto d = hex_decode("007F80ff");
  REQUIRE(d.ok());
  CHECK(*d == b);
  CHECK_FALSE(hex_decode("abc").ok());
  CHECK_FALSE(hex_decode("zz").ok());
}

TEST_CASE("base64 matches RFC 4648 vectors and is strict") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : vectors) {
    CHECK(base64_encode(as_bytes(plain)) == enc);
    auto d = base64_decode(enc);
    REQUIRE(d.ok());
    CHECK(to_string(*d) == plain);
  }
  CHECK_FALSE(base64_decode("Zg=").ok());   // wrong length
  CHECK_FALSE(base64_decode("Zh==").ok());  // non-zero trailing bits
  CHECK_FALSE(base64_decode("Z===").ok());  // too much padding
  CHECK_FALSE(base64_decode("Zm9v!A==").ok());
  CHECK_FALSE(base64_decode("Zg==Zg==").ok());  // padding in the middle
}

TEST_CASE("canonical JSON follows OLPC rules") {
  auto j = parse_json(R"({"b":1,"a":"x\"y\\z","c":[true,null,-5],"é":"\u00e9\n"})");
  REQUIRE(j.ok());
  auto c = canonical_json(*j);
  REQUIRE(c.ok());
  CHECK(*c == "{\"a\":\"x\\\"y\\\\z\",\"b\":1,\"c\":[true,null,-5],\"\xc3\xa9\":\"\xc3\xa9\n\"}");
  CHECK_FALSE(canonical_json(Json::parse("{\"f\":1.5}")).ok());
}

TEST_CASE("parse_json refuses duplicates and garbage with a reason") {
  auto dup = parse_json(R"({"a":1,"b":{"x":1,"x":2}})", "root.json");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message == "root.json has a duplicate key \"x\"");
  CHECK_FALSE(parse_json("{\"a\":1} trailing").ok());
  CHECK_FALSE(parse_json("{\"a\":").ok());
  CHECK(parse_json(R"({"a":{"x":1},"b":{"x":1}})").ok());  // same key in sibling objects is fine
}

TEST_CASE("RFC 3339 times") {
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(1764072000) == "2025-11-25T12:00:00Z");
  auto t = parse_rfc3339("2025-11-25T12:00:00Z");
  REQUIRE(t.ok());
  CHECK(*t == 1764072000);
  CHECK_FALSE(parse_rfc3339("2025-11-25T12:00:00.5Z").ok());
  CHECK_FALSE(parse_rfc3339("2025-02-31T00:00:00Z").ok());
  CHECK_FALSE(parse_rfc3339("2025-11-25 12:00:00Z").ok());
}

TEST_CASE("atomic writes replace whole files and apply the mode") {
  auto dir = TempDir::create();
  REQUIRE(dir.ok());
  auto p = dir->path() / "f.txt";
  REQUIRE(write_file_atomic(p, std::string_view("first")).ok());
  REQUIRE(write_file_atomic(p, std::string_view("second"), 0600).ok());
  auto r = read_text_file(p);
  REQUIRE(r.ok());
  CHECK(*r == "second");
  struct stat st;
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // No temporary files are left behind.
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator(dir->path())) n += e.exists();
  CHECK(n == 1);
  CHECK(read_file(p, 3).error().code == Errc::invalid_input);
  CHECK(read_file(dir->path() / "missing").error().code == Errc::not_found);
}
