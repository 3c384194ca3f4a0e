// Every refusal of the two payload parsers: each case changes one thing in a valid payload and checks
// the parser says invalid_input and names what is wrong.
#include <catch2/catch.hpp>
#include <functional>

#include "rebuild_fixtures.hpp"

using namespace cocoon;
using namespace cocoon::rebuild;
using namespace cocoon::rebuild::testing;

namespace {

struct Mutation {
  const char* what;
  std::function<void(Json&)> change;
  const char* message;  // a part of the expected error
};

Json doc_of(const Bytes& payload) {
  return parse_json(to_string(payload)).value();
}

Bytes canonical(const Json& doc) {
  return to_bytes(canonical_json(doc).value());
}

template <typename Parse>
void check_refusal(const Bytes& payload, Parse parse, const char* message) {
  auto parsed = parse(payload);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().code == Errc::invalid_input);
  CHECK_THAT(parsed.error().message, Catch::Contains(message));
}

// The recipe with one textual change, stored with a matching recipe_sha256 so only the change counts.
void replace_recipe(Json& doc, const std::string& from, const std::string& to) {
  std::string text = to_string(base64_decode(doc["recipe"].get<std::string>()).value());
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  doc["recipe"] = base64_encode(as_bytes(text));
  doc["recipe_sha256"] = digest_of(text);
}

}  // namespace

TEST_CASE("rebuild: the candidate parser refuses each malformed payload") {
  const Bytes good = candidate_payload(sample_candidate());
  REQUIRE(parse_candidate_payload(good).ok());
  const std::vector<Mutation> mutations = {
      {"an unknown member", [](Json& d) { d["note"] = "x"; }, "unknown member \"note\" in the payload"},
      {"a missing member", [](Json& d) { d.erase("created"); }, "missing member \"created\""},
      {"another _type", [](Json& d) { d["_type"] = "cocoon.rebuild-verdict/v1"; }, "\"_type\" is"},
      {"a product that is not a string", [](Json& d) { d["product"] = 7; }, "\"product\" is not a string"},
      // A C0 control character cannot even be written raw in canonical JSON (and escaped it is not
      // canonical).
      {"a product with a newline", [](Json& d) { d["product"] = "sample-node\nOK"; }, "is not valid JSON"},
      {"a product with DEL", [](Json& d) { d["product"] = "sample-node\x7f"; }, "\"product\""},
      {"a version with a C1 escape sequence", [](Json& d) { d["version"] = "0.1.0\u009b2K"; }, "\"version\""},
      {"an upper-case recipe digest",
       [](Json& d) {
         std::string s = d["recipe_sha256"];
         for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
         d["recipe_sha256"] = s;
       },
       "\"recipe_sha256\""},
      {"a short recipe digest", [](Json& d) { d["recipe_sha256"] = "114c"; },
       "is not 64 lower-case hex digits"},
      {"a source that is not an object", [](Json& d) { d["source"] = "x"; },
       "\"source\" is not a JSON object"},
      {"an unknown source member", [](Json& d) { d["source"]["branch"] = "main"; },
       "unknown member \"branch\" in \"source\""},
      {"a commit of 39 digits", [](Json& d) { d["source"]["commit"] = std::string(39, 'a'); }, "\"commit\""},
      {"a url with a C1 control character", [](Json& d) { d["source"]["url"] = "https://x\u0085/y"; },
       "\"url\""},
      {"a recipe that is not base64", [](Json& d) { d["recipe"] = "not base64!"; },
       "\"recipe\" is not standard padded base64"},
      {"a recipe that does not hash to recipe_sha256",
       [](Json& d) { d["recipe_sha256"] = std::string(64, '0'); }, "the embedded recipe hashes to"},
      {"a recipe that does not parse",
       [](Json& d) {
         d["recipe"] = base64_encode(as_bytes("{}"));
         d["recipe_sha256"] = digest_of("{}");
       },
       "the embedded recipe: recipe:"},
      {"a recipe naming another product",
       [](Json& d) { replace_recipe(d, "\"sample-node\",", "\"other-node\","); },
       "\"product\" is \"sample-node\" but the recipe says \"other-node\""},
      {"a recipe with another version", [](Json& d) { replace_recipe(d, "\"0.1.0\"", "\"0.2.0\""); },
       "\"version\" is \"0.1.0\" but the recipe says \"0.2.0\""},
      {"a recipe from another url", [](Json& d) { replace_recipe(d, "fixtures.cocoon", "evil.cocoon"); },
       "\"source.url\""},
      {"a recipe at another commit", [](Json& d) { replace_recipe(d, "90755cf1", "00000000"); },
       "\"source.commit\""},
      {"a created time that is not UTC RFC 3339", [](Json& d) { d["created"] = "2026-12-05 08:00:00"; },
       "\"created\""},
      {"a created time with a zone offset", [](Json& d) { d["created"] = "2026-12-05T08:00:00+01:00"; },
       "\"created\""},
  };
  for (const auto& m : mutations) {
    INFO(m.what);
    Json doc = doc_of(good);
    m.change(doc);
    check_refusal(canonical(doc), parse_candidate_payload, m.message);
  }
}

TEST_CASE("rebuild: both parsers refuse payloads that are not canonical JSON") {
  for (const Bytes& good :
       {candidate_payload(sample_candidate()), verdict_payload(sample_verdict(Outcome::reproduced))}) {
    auto parse = [](const Bytes& p) -> Status {
      auto c = parse_candidate_payload(p);
      auto v = parse_verdict_payload(p);
      if (c.ok() || v.ok()) return Ok{};
      // The same message from whichever kind the payload was.
      return c.error().message.find("canonical") != std::string::npos ? c.error() : v.error();
    };
    REQUIRE(parse(good).ok());
    std::string text = to_string(good);
    SECTION("whitespace") {
      check_refusal(to_bytes(" " + text), parse, "not canonical JSON");
    }
    SECTION("a pretty-printed copy") {
      check_refusal(to_bytes(doc_of(good).dump(2)), parse, "not canonical JSON");
    }
    SECTION("keys out of order") {
      std::string swapped = "{" + text.substr(text.find(',') + 1, text.size() - text.find(',') - 2) + "," +
                            text.substr(1, text.find(',') - 1) + "}";
      check_refusal(to_bytes(swapped), parse, "not canonical JSON");
    }
    SECTION("an escaped character that needs no escape") {
      auto at = text.find("builder-a");
      if (at == std::string::npos) at = text.find("sample-node");
      text.replace(at, 1, "\\u0073");
      check_refusal(to_bytes(text), parse, "not canonical JSON");
    }
    SECTION("a duplicate key") {
      check_refusal(to_bytes("{\"_type\":\"x\"," + text.substr(1)), parse, "duplicate");
    }
    SECTION("not JSON") {
      check_refusal(to_bytes(text.substr(0, text.size() - 1)), parse, "payload");
    }
  }
}

TEST_CASE("rebuild: the verdict parser refuses each malformed or inconsistent payload") {
  const Bytes reproduced = verdict_payload(sample_verdict(Outcome::reproduced));
  const Bytes mismatch = verdict_payload(sample_verdict(Outcome::mismatch));
  const Bytes failure = verdict_payload(sample_verdict(Outcome::build_failure));
  for (const auto& p : {reproduced, mismatch, failure}) REQUIRE(parse_verdict_payload(p).ok());
  const std::string other = digest_of("other");
  struct Case {
    const Bytes* base;
    Mutation m;
  };
  const std::vector<Case> cases = {
      {&reproduced, {"an unknown member", [](Json& d) { d["extra"] = 1; }, "unknown member \"extra\""}},
      {&reproduced, {"a missing builder", [](Json& d) { d.erase("builder"); }, "missing member \"builder\""}},
      {&reproduced,
       {"another _type", [](Json& d) { d["_type"] = "cocoon.release-candidate/v1"; }, "\"_type\""}},
      {&reproduced,
       {"a bad source commit", [](Json& d) { d["source_commit"] = "HEAD"; }, "\"source_commit\""}},
      {&reproduced,
       {"a builder with a newline", [](Json& d) { d["builder"] = "a\nb"; }, "is not valid JSON"}},
      {&reproduced,
       {"a builder with a bidi control", [](Json& d) { d["builder"] = "a\u202eb"; }, "\"builder\""}},
      {&reproduced, {"a bad finished time", [](Json& d) { d["finished"] = "yesterday"; }, "\"finished\""}},
      {&reproduced, {"an unknown verdict", [](Json& d) { d["verdict"] = "good"; }, "\"verdict\" \"good\""}},
      {&reproduced,
       {"an unknown subject kind", [](Json& d) { d["subject"]["kind"] = "tag"; }, "subject.kind"}},
      {&reproduced,
       {"a negative log index", [](Json& d) { d["subject"]["log_index"] = -1; }, "\"log_index\""}},
      {&reproduced,
       {"a log index as a string", [](Json& d) { d["subject"]["log_index"] = "41"; }, "\"log_index\""}},
      {&reproduced,
       {"a bad subject digest", [](Json& d) { d["subject"]["entry_sha256"] = "zz"; }, "\"entry_sha256\""}},
      {&reproduced,
       {"a release without targets_version", [](Json& d) { d["subject"].erase("targets_version"); },
        "\"targets_version\""}},
      {&reproduced,
       {"targets_version 0", [](Json& d) { d["subject"]["targets_version"] = 0; }, "targets_version is 0"}},
      {&reproduced,
       {"a candidate with a targets_version", [](Json& d) { d["subject"]["kind"] = "candidate"; },
        "targets_version is given for a candidate"}},
      {&reproduced,
       {"an unknown subject member", [](Json& d) { d["subject"]["tag"] = "v1"; }, "in \"subject\""}},
      {&reproduced,
       {"artifacts not an array", [](Json& d) { d["artifacts"] = Json::object(); },
        "\"artifacts\" is not an array"}},
      {&reproduced,
       {"an artifact listed twice", [](Json& d) { d["artifacts"].push_back(d["artifacts"][0]); }, "twice"}},
      {&reproduced,
       {"an artifact with an unknown member", [](Json& d) { d["artifacts"][0]["size"] = 1; },
        "artifacts[0]"}},
      {&reproduced,
       {"an artifact name with a slash", [](Json& d) { d["artifacts"][0]["name"] = "../x"; }, "\"name\""}},
      {&reproduced,
       {"an upper-case artifact digest",
        [](Json& d) {
          d["artifacts"][0]["sha256"] = std::string(64, 'A');
          d["artifacts"][0]["expected_sha256"] = std::string(64, 'A');
        },
        "neither empty nor 64 lower-case hex digits"}},
      {&reproduced,
       {"reproduced with a differing digest", [other](Json& d) { d["artifacts"][1]["sha256"] = other; },
        "\"reproduced\" but artifact \"sample-node\""}},
      {&reproduced,
       {"reproduced with an artifact not produced",
        [](Json& d) {
          d["artifacts"][1]["sha256"] = "";
          d["artifacts"][1]["expected_sha256"] = "";
        },
        "\"reproduced\" but artifact \"sample-node\""}},
      {&reproduced,
       {"reproduced with no artifacts", [](Json& d) { d["artifacts"] = Json::array(); },
        "lists no artifacts"}},
      {&reproduced,
       {"reproduced with a first difference", [](Json& d) { d["first_difference"] = "x"; },
        "\"first_difference\" is given for a \"reproduced\" verdict"}},
      {&reproduced,
       {"reproduced with a failure", [](Json& d) { d["failure"] = "x"; },
        "\"failure\" is given for a \"reproduced\" verdict"}},
      {&reproduced,
       {"reproduced while the measurement differs",
        [](Json& d) {
          d["measurement"] = Json{{"predicted", Json::object()}, {"matches_release", false}};
        },
        "measurement.matches_release is false"}},
      {&reproduced,
       {"a measurement without matches_release",
        [](Json& d) {
          d["measurement"] = Json{{"predicted", Json::object()}};
        },
        "\"matches_release\""}},
      {&reproduced,
       {"a measurement with an unknown member",
        [](Json& d) {
          d["measurement"] = Json{{"predicted", Json::object()}, {"matches_release", true}, {"x", 1}};
        },
        "unknown member \"x\" in \"measurement\""}},
      {&reproduced,
       {"a measurement whose prediction is not an object",
        [](Json& d) {
          d["measurement"] = Json{{"predicted", "ab"}, {"matches_release", true}};
        },
        "measurement.predicted"}},
      {&reproduced,
       {"matches_release not a boolean",
        [](Json& d) {
          d["measurement"] = Json{{"predicted", Json::object()}, {"matches_release", 1}};
        },
        "matches_release is not true or false"}},
      {&reproduced,
       {"matches_release for a candidate",
        [](Json& d) {
          d["subject"] =
              Json{{"kind", "candidate"}, {"log_index", 1}, {"entry_sha256", std::string(64, 'a')}};
          d["measurement"] = Json{{"predicted", Json::object()}, {"matches_release", true}};
        },
        "unknown member \"matches_release\""}},
      {&mismatch,
       {"mismatch when every digest agrees",
        [](Json& d) { d["artifacts"][1]["sha256"] = d["artifacts"][1]["expected_sha256"]; },
        "\"mismatch\" but no artifact differs"}},
      {&mismatch,
       {"mismatch against an unknown expectation only",
        [](Json& d) { d["artifacts"][1]["expected_sha256"] = ""; }, "\"mismatch\" but no artifact differs"}},
      {&mismatch,
       {"mismatch without its first difference", [](Json& d) { d.erase("first_difference"); },
        "missing member \"first_difference\""}},
      {&mismatch,
       {"an empty first difference", [](Json& d) { d["first_difference"] = ""; },
        "\"first_difference\" is empty"}},
      {&mismatch,
       {"a first difference of two lines", [](Json& d) { d["first_difference"] = "a\nb"; },
        "is not valid JSON"}},
      {&mismatch,
       {"a first difference with a line separator", [](Json& d) { d["first_difference"] = "a\u2028b"; },
        "holds control characters"}},
      {&mismatch,
       {"a first difference over 4096 bytes", [](Json& d) { d["first_difference"] = std::string(4097, 'x'); },
        "longer than 4096 bytes"}},
      {&mismatch,
       {"mismatch with a failure", [](Json& d) { d["failure"] = "x"; },
        "\"failure\" is given for a \"mismatch\""}},
      {&failure,
       {"build failure without its failure", [](Json& d) { d.erase("failure"); },
        "missing member \"failure\""}},
      {&failure,
       {"a failure with a terminal escape", [](Json& d) { d["failure"] = "step \u009b2J"; },
        "holds control characters"}},
      {&failure,
       {"build failure with a first difference", [](Json& d) { d["first_difference"] = "x"; },
        "\"first_difference\" is given for a \"build-failure\""}},
  };
  for (const auto& c : cases) {
    INFO(c.m.what);
    Json doc = doc_of(*c.base);
    c.m.change(doc);
    auto text = canonical_json(doc);
    REQUIRE(text.ok());
    check_refusal(to_bytes(*text), parse_verdict_payload, c.m.message);
  }
}

TEST_CASE("rebuild: a float anywhere in a verdict is refused") {
  Json doc = doc_of(verdict_payload(sample_verdict(Outcome::reproduced)));
  doc["measurement"] = Json{{"predicted", Json{{"x", 1.5}}}, {"matches_release", true}};
  check_refusal(to_bytes(doc.dump()), parse_verdict_payload, "not canonical JSON");
}
