// The release explorer in a real browser: a log and repository made the way maintainers make them
// (cocoon-sign propose/sign/publish with a witness), rebuild verdicts logged by builder keys (one
// with a hostile builder name), the site written by the cocoon-log binary, served over HTTP from
// 127.0.0.1 by a separate process, and loaded by headless chromium. The page must verify everything
// green; a tile with one byte changed must turn it red naming the inclusion check, and a checkpoint
// with a changed signature naming the checkpoint check. Screenshots go to
// <build>/tests/explorer/screenshots/.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "../release/cli_flow.hpp"
#include "../support/service_process.hpp"
#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/log_writer.hpp"
#include "tlog/tile.hpp"
#include "verdicts.hpp"

namespace fs = std::filesystem;
using namespace cocoon;
using cocoon::test::run_shell;
using cocoon::test::shell_quote;

namespace {

const std::string kLogTool = COCOON_BINARY_DIR "/tools/cocoon-log/cocoon-log";

std::string find_chromium() {
  if (const char* env = std::getenv("COCOON_CHROMIUM"); env && *env) return env;
  auto r = run_shell("command -v chromium || command -v chromium-browser");
  if (r.exit_code != 0) return {};
  std::string path = r.output.substr(0, r.output.find('\n'));
  return path;
}

// Headless chromium, its own profile, no network but 127.0.0.1. --virtual-time-budget lets the page's
// fetches and WebCrypto promises settle before the DOM is dumped (virtual time waits for the network).
struct Browser {
  std::string binary;
  fs::path profile;
  std::string run(const std::string& what, const std::string& url,
                  const std::string& size = "1280,2000") const {
    auto r = run_shell(shell_quote(binary) + " --headless --no-sandbox --disable-gpu --no-first-run " +
                       "--user-data-dir=" + shell_quote(profile.string()) +
                       " --virtual-time-budget=30000 --window-size=" + size + " --hide-scrollbars " + what +
                       " " + shell_quote(url) + " 2>/dev/null");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  }
  std::string dom(const std::string& url) const { return run("--dump-dom", url); }
  void screenshot(const std::string& url, const fs::path& png, const std::string& size = "1280,2000") const {
    fs::create_directories(png.parent_path());
    run("--screenshot=" + shell_quote(png.string()), url, size);
    CHECK(fs::file_size(png) > 1000);
  }
};

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

// The banner element's opening tag and text, for messages and checks.
std::string banner_of(const std::string& dom) {
  auto start = dom.find("id=\"banner\"");
  if (start == std::string::npos) return "";
  auto end = dom.find("</div>", start);
  return dom.substr(start, end - start);
}

// A copy of the served log (the site inside it reads ../) under another name.
fs::path copy_log(const fs::path& w, const std::string& name) {
  fs::path to = w / name;
  fs::copy(w / "log", to, fs::copy_options::recursive);
  return to;
}

// The level-0 tile of the log's current size (older partial tiles stay on disk, unread).
fs::path current_level0_tile(const fs::path& log) {
  auto cp = read_text_file(log / "checkpoint").value();
  auto note = tlog::parse_note(cp).value();
  auto size = tlog::parse_checkpoint_body(note.text).value().size;
  for (const auto& t : tlog::tiles_for_size(size))
    if (t.level == 0) return log / tlog::tile_path(t);
  return {};
}

}  // namespace

TEST_CASE(
    "the explorer verifies a real log in headless chromium, and a tampered tile or checkpoint turns it red") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    WARN("SKIPPED: chromium is not installed (ci/setup installs it), the browser test cannot run");
    return;
  }
  release::testing::CliWorld world;
  world.ceremony();
  world.require_ok(world.release("0.1.0", "hello v1\n", {"alice", "bob"}));
  world.require_ok(world.release("0.2.0", "hello v2\n", {"alice", "bob"}));

  // Rebuild verdicts: two builders reproduced 0.2.0, a third logs a mismatch under a hostile name, and
  // a key that is not a builder logs one too (shown, never attributed to a builder).
  const std::string hostile = "<script>document.title='pwned'</script>\x07\xe2\x80\xae";
  {
    auto signer = tlog::make_signer(world.cast.log.name, world.cast.log.pair).value();
    auto writer = tlog::LogWriter::open(world.at("log"), signer);
    REQUIRE(writer.ok());
    using explorer::testing::verdict_entry;
    using explorer::testing::verdict_payload;
    auto mismatch = verdict_payload("sample", "0.2.0", "mismatch", hostile, "2026-12-05T08:20:00Z", 3);
    mismatch["first_difference"] = "<img src=x onerror=\"document.title='pwned'\">";
    REQUIRE(writer
                ->append({verdict_entry(verdict_payload("sample", "0.2.0", "reproduced", "builder1",
                                                        "2026-12-05T08:10:00Z", 3),
                                        world.cast.builder1),
                          verdict_entry(verdict_payload("sample", "0.2.0", "reproduced", "builder2",
                                                        "2026-12-05T08:15:00Z", 3),
                                        world.cast.builder2),
                          verdict_entry(mismatch, world.cast.builder3),
                          verdict_entry(verdict_payload("sample", "0.1.0", "build-failure", "mallory",
                                                        "2026-12-05T08:25:00Z", 0),
                                        world.cast.dave)})
                .ok());
  }

  auto gen = run_shell("cd " + shell_quote(world.w.string()) + " && " + kLogTool +
                       " explore --dir log --repo repo --root root.json --out log/explorer --json");
  INFO(gen.output);
  REQUIRE(gen.exit_code == 0);
  CHECK(contains(gen.output, "\"releases\": 2"));
  CHECK(contains(gen.output, "\"verdicts\": 4"));
  for (const char* f : {"index.html", "explorer.css", "explorer.js", "explorer-data.json"})
    CHECK(fs::exists(world.at("log") / "explorer" / f));

  fs::path tampered_tile = copy_log(world.w, "tampered-tile");
  {
    fs::path tile = current_level0_tile(tampered_tile);
    REQUIRE(!tile.empty());
    // The log writes tiles read-only; the copy is replaced like any file (temp and rename).
    auto bytes = read_file(tile).value();
    REQUIRE(bytes.size() > 40);
    bytes[40] ^= 0x01;
    REQUIRE(write_file_atomic(tile, bytes).ok());
  }
  fs::path tampered_cp = copy_log(world.w, "tampered-checkpoint");
  {
    auto text = read_text_file(tampered_cp / "checkpoint").value();
    // A character in the middle of the log's signature line (after the key hash): another signature.
    std::size_t pos = text.size() - 20;
    text[pos] = text[pos] == 'A' ? 'B' : 'A';
    REQUIRE(write_file_atomic(tampered_cp / "checkpoint", text).ok());
    INFO(text);
    REQUIRE(read_text_file(tampered_cp / "checkpoint").value() !=
            read_text_file(world.at("log") / "checkpoint").value());
  }

  // A copy whose data file lies about what the log holds: another artifact digest for release 2, a
  // witness cosignature with a changed byte on release 1's checkpoint, and the builder3 mismatch verdict
  // shown as "reproduced". Each must fail its own check in the browser.
  fs::path tampered_data = copy_log(world.w, "tampered-data");
  {
    fs::path file = tampered_data / "explorer" / "explorer-data.json";
    auto data = parse_json(read_text_file(file).value()).value();
    data["releases"][1]["products"][0]["artifacts"][0]["sha256"] =
        crypto::sha256_hex(std::string_view("evil"));
    std::string note = data["releases"][0]["checkpoint"]["note"].get<std::string>();
    auto line = note.find("\xe2\x80\x94 witness.example ");
    REQUIRE(line != std::string::npos);
    std::size_t pos = note.find('\n', line) - 10;
    note[pos] = note[pos] == 'A' ? 'B' : 'A';
    data["releases"][0]["checkpoint"]["note"] = note;
    REQUIRE(data["verdicts"][2]["verdict"] == "mismatch");
    data["verdicts"][2]["verdict"] = "reproduced";
    REQUIRE(write_file_atomic(file, pretty_json(data)).ok());
  }

  // The generator refuses the same tampering before writing anything.
  auto explore = [&](const std::string& args) {
    return run_shell("cd " + shell_quote(world.w.string()) + " && " + kLogTool + " explore " + args);
  };
  {
    auto tile = explore("--dir tampered-tile --repo repo --root root.json --out site-t");
    INFO(tile.output);
    CHECK(tile.exit_code == 7);
    CHECK(contains(tile.output, "cocoon-log: error: the log's tiles do not hash to its checkpoint's root"));
    auto cp = explore("--dir tampered-checkpoint --repo repo --root root.json --out site-c");
    INFO(cp.output);
    CHECK(cp.exit_code == 4);
    auto base =
        explore("--dir log --repo repo --root root.json --out site-b --log-base 'javascript:alert(1)//'");
    INFO(base.output);
    CHECK(base.exit_code == 2);
    CHECK(contains(base.output, "--log-base"));
    CHECK(!fs::exists(world.at("site-t")));
    CHECK(!fs::exists(world.at("site-c")));
    CHECK(!fs::exists(world.at("site-b")));
  }

  test::ServiceProcess server({"/usr/bin/python3", "-c", R"(
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.log_message = lambda *a: None
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print("listening on http://127.0.0.1:%d/" % s.server_port, flush=True)
s.serve_forever()
)",
                               world.w.string()});
  REQUIRE(!server.url().empty());
  Browser browser{chromium, world.at("chromium-profile")};
  const fs::path shots = fs::path(COCOON_BINARY_DIR) / "tests" / "explorer" / "screenshots";
  const std::string site = server.url() + "log/explorer/index.html";

  {  // a release page: what was released, by whom, with the commands, all verified green
    auto model = parse_json(read_text_file(world.at("log") / "explorer" / "explorer-data.json").value());
    REQUIRE(model.ok());
    REQUIRE((*model)["releases"].size() == 2);
    auto version = (*model)["releases"][1]["targets_version"].get<std::uint64_t>();
    std::string url = site + "#release/" + std::to_string(version);
    std::string dom = browser.dom(url);
    INFO(banner_of(dom));
    CHECK(contains(banner_of(dom), "data-state=\"ok\""));
    CHECK(contains(dom, "Verified in this browser: all"));
    CHECK(contains(dom, "sample 0.2.0"));
    CHECK(contains(dom, "sample/hello.bin"));
    CHECK(contains(dom, crypto::sha256_hex(std::string_view("hello v2\n"))));
    CHECK(contains(dom, "builder1, builder2"));  // who reproduced the artifact
    CHECK(contains(dom, "alice"));
    CHECK(contains(dom, "bob"));
    CHECK(contains(dom, "witness.example"));
    CHECK(contains(dom, "valid, 20"));  // the cosignature, checked in the browser, with its time
    CHECK(contains(dom, "cocoon-verify update --repo repo --root root.json"));
    CHECK(contains(dom, "--product sample --target hello.bin"));
    CHECK(contains(dom, "cocoon-build verify manifests/sample.json"));
    CHECK(contains(dom, "inclusion of log entry"));
    CHECK(!contains(dom, "FAILED"));
    browser.screenshot(url, shots / "release.png");
    // The size docs/img/explorer.png is taken at.
    browser.screenshot(url, shots / "release-docs.png", "1000,1000");
  }

  {  // the overview: products, verdict plot, growth plot; hostile strings are text, never markup
    std::string dom = browser.dom(site);
    INFO(banner_of(dom));
    CHECK(contains(banner_of(dom), "data-state=\"ok\""));
    CHECK(contains(dom, "id=\"verdict-plot\""));
    CHECK(contains(dom, "id=\"growth-plot\""));
    CHECK(contains(dom, "class=\"verdict-dot\""));
    CHECK(contains(dom, "rebuild verdict"));  // the DSSE signature checks of the verdicts
    // The hostile builder name is shown as text, control and bidi characters escaped; nothing ran.
    CHECK(contains(dom, "&lt;script&gt;document.title='pwned'&lt;/script&gt;\\x07\\u202e"));
    CHECK(contains(dom, "&lt;img src=x onerror="));
    CHECK(!contains(dom, "<script>document.title"));
    CHECK(!contains(dom, "<img src"));
    CHECK(!contains(dom, "pwned</title>"));
    CHECK(contains(dom, "<title>Cocoon release explorer</title>"));
    CHECK(contains(dom, "no builder of the root"));  // the verdict signed by a non-builder key
    CHECK(contains(dom, "Entries when this site was made: 10 (4 attestation, 2 targets, 4 verdict)."));
    browser.screenshot(site, shots / "overview.png");
  }

  {  // the generator reading the log and the repository over HTTP (--url, an http:// --repo)
    auto http = explore("--url " + server.url() + "log/ --repo " + server.url() +
                        "repo/ --root root.json --out log/explorer-http --log-base ../ --json");
    INFO(http.output);
    REQUIRE(http.exit_code == 0);
    CHECK(contains(http.output, "\"releases\": 2"));
    std::string dom = browser.dom(server.url() + "log/explorer-http/index.html");
    INFO(banner_of(dom));
    CHECK(contains(banner_of(dom), "data-state=\"ok\""));
  }

  {  // one byte changed in a tile: red, naming the inclusion check
    std::string url = server.url() + "tampered-tile/explorer/index.html";
    std::string dom = browser.dom(url);
    std::string banner = banner_of(dom);
    INFO(banner);
    CHECK(contains(banner, "data-state=\"fail\""));
    CHECK(contains(banner, "Verification FAILED: inclusion of log entry"));
    browser.screenshot(url, shots / "tampered-tile.png");
  }

  {  // a data file that lies: each lie fails its own check
    std::string url = server.url() + "tampered-data/explorer/index.html";
    std::string dom = browser.dom(url);
    std::string banner = banner_of(dom);
    INFO(banner);
    CHECK(contains(banner, "data-state=\"fail\""));
    auto model =
        parse_json(read_text_file(world.at("log") / "explorer" / "explorer-data.json").value()).value();
    const std::string v1 = std::to_string(model["releases"][0]["targets_version"].get<std::uint64_t>());
    const std::string v2 = std::to_string(model["releases"][1]["targets_version"].get<std::uint64_t>());
    const std::string verdict_index = std::to_string(model["verdicts"][2]["index"].get<std::uint64_t>());
    CHECK(contains(banner, "release " + v2 + ": artifacts shown equal the logged targets"));
    CHECK(contains(banner, "release " + v1 + ": witness cosignature of witness.example"));
    CHECK(contains(banner, "rebuild verdict " + verdict_index + ": signature by builder builder3"));
    CHECK(contains(banner, "the shown verdict is not the signed one"));
  }

  {  // a changed checkpoint signature: red, naming the checkpoint check
    std::string url = server.url() + "tampered-checkpoint/explorer/index.html";
    std::string dom = browser.dom(url);
    std::string banner = banner_of(dom);
    INFO(banner);
    CHECK(contains(banner, "data-state=\"fail\""));
    CHECK(contains(banner, "Verification FAILED: checkpoint signature"));
    browser.screenshot(url, shots / "tampered-checkpoint.png");
  }
}
