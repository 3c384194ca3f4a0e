// `cocoon-sign frost ...` end to end in temporary directories: DKG, signing, aggregation, and the
// attacks and malformed inputs the commands must refuse with a one-line reason and a distinct exit code.
#include <sodium.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "core/file_io.hpp"
#include "core/json.hpp"

using namespace cocoon;
namespace fs = std::filesystem;

namespace {

const std::string kTool = COCOON_BINARY_DIR "/tools/cocoon-sign/cocoon-sign";

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

class Workspace {
 public:
  Workspace() {
    auto t = TempDir::create("frost-cli-");
    REQUIRE(t.ok());
    dir_ = std::make_unique<TempDir>(std::move(t).value());
  }
  fs::path operator/(const std::string& name) const { return dir_->path() / name; }
  std::string p(const std::string& name) const { return (dir_->path() / name).string(); }

  Run run(const std::string& args, const std::string& passphrase = "correct horse battery") const {
    const std::string out = p(".stdout"), err = p(".stderr");
    std::string cmd =
        "COCOON_PASSPHRASE='" + passphrase + "' '" + kTool + "' " + args + " >'" + out + "' 2>'" + err + "'";
    int status = std::system(cmd.c_str());
    Run r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text_file(out).value();
    r.err = read_text_file(err).value();
    return r;
  }

  void write(const std::string& name, std::string_view text) const {
    REQUIRE(write_file_atomic(*this / name, text).ok());
  }

  Json json(const std::string& name) const {
    auto t = read_text_file(*this / name);
    REQUIRE(t.ok());
    auto j = parse_json(*t);
    REQUIRE(j.ok());
    return *j;
  }
  void write_json(const std::string& name, const Json& j) const { write(name, pretty_json(j)); }

 private:
  std::unique_ptr<TempDir> dir_;
};

void require_ok(const Run& r) {
  INFO(r.err);
  REQUIRE(r.code == 0);
}

// A refusal: the expected exit code and exactly one line on stderr that contains `reason`.
void require_refused(const Run& r, int code, std::string_view reason) {
  INFO(r.err);
  CHECK(r.code == code);
  CHECK(r.err.find(reason) != std::string::npos);
  CHECK(r.err.rfind("cocoon-sign: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

// Dealer 3-of-5 group in ws/keys.
void dealer_group(const Workspace& ws) {
  require_ok(ws.run("frost keygen --dealer --threshold 3 --participants 5 --out-dir " + ws.p("keys")));
}

void commit_for(const Workspace& ws, int id, const std::string& message, const std::string& out) {
  require_ok(ws.run("frost commit " + ws.p(message) + " --state " +
                    ws.p("keys/participant-" + std::to_string(id)) + " --out " + ws.p(out)));
}

Run sign_for(const Workspace& ws, int id, const std::string& message, const std::string& commitments,
             const std::string& out) {
  return ws.run("frost sign " + ws.p(message) + " --state " + ws.p("keys/participant-" + std::to_string(id)) +
                " --commitments " + ws.p(commitments) + " --out " + ws.p(out));
}

std::string group_key(const Workspace& ws, const std::string& group_file) {
  return ws.json(group_file)["group_public_key"].get<std::string>();
}

bool libsodium_verifies(const Workspace& ws, const std::string& key_hex, const Bytes& message,
                        const std::string& sig) {
  auto key = hex_decode(key_hex);
  auto s = read_file(ws / sig);
  REQUIRE(key.ok());
  REQUIRE(s.ok());
  REQUIRE(s->size() == 64);
  return crypto_sign_verify_detached(s->data(), message.data(), message.size(), key->data()) == 0;
}

// python3-nacl (Debian's interpreter, where the package is installed) verifying the raw signature.
int python_nacl_verify(const Workspace& ws, const std::string& key_hex, const std::string& message_file,
                       const std::string& sig) {
  ws.write("verify.py",
           "import sys, nacl.signing, nacl.exceptions\n"
           "key = nacl.signing.VerifyKey(bytes.fromhex(sys.argv[1]))\n"
           "try:\n"
           "    key.verify(open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read())\n"
           "except nacl.exceptions.BadSignatureError:\n"
           "    sys.exit(1)\n");
  std::string cmd = "/usr/bin/python3 '" + ws.p("verify.py") + "' " + key_hex + " '" + ws.p(message_file) +
                    "' '" + ws.p(sig) + "'";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("cli: 3-of-5 DKG and signing end to end - libsodium and python3-nacl accept the signature") {
  Workspace ws;
  for (int id = 1; id <= 5; ++id)
    require_ok(ws.run("frost dkg start --session ceremony-1 --threshold 3 --participants 5 --id " +
                      std::to_string(id) + " --state " + ws.p("state-" + std::to_string(id)) + " --out " +
                      ws.p("round1/p" + std::to_string(id) + ".json")));
  CHECK((fs::status(ws / "state-1").permissions() & fs::perms::group_all) == fs::perms::none);
  for (int id = 1; id <= 5; ++id) {
    Run r = ws.run("frost dkg shares --state " + ws.p("state-" + std::to_string(id)) + " --round1 " +
                   ws.p("round1") + " --out-dir " + ws.p("round2"));
    require_ok(r);
    CHECK(r.out.find("4 round-2 messages") != std::string::npos);
  }
  for (int id = 1; id <= 5; ++id) {
    Run r = ws.run("frost dkg finish --state " + ws.p("state-" + std::to_string(id)) + " --round1 " +
                   ws.p("round1") + " --round2 " + ws.p("round2") + " --group-out " +
                   ws.p("group-" + std::to_string(id) + ".json"));
    require_ok(r);
    CHECK(r.out.find("qualified 1,2,3,4,5") != std::string::npos);
    CHECK_FALSE(fs::exists(ws / ("state-" + std::to_string(id)) / "dkg.json"));
  }
  const std::string key = group_key(ws, "group-1.json");
  for (int id = 2; id <= 5; ++id)
    CHECK(ws.json("group-" + std::to_string(id) + ".json") == ws.json("group-1.json"));

  ws.write("message.bin", "cocoon release 2026.11 targets");
  for (int id : {1, 3, 5})
    require_ok(ws.run("frost commit " + ws.p("message.bin") + " --state " +
                      ws.p("state-" + std::to_string(id)) + " --out " +
                      ws.p("commitments/c" + std::to_string(id) + ".json")));
  for (int id : {1, 3, 5})
    require_ok(ws.run("frost sign " + ws.p("message.bin") + " --state " +
                      ws.p("state-" + std::to_string(id)) + " --commitments " + ws.p("commitments") +
                      " --out " + ws.p("shares/s" + std::to_string(id) + ".json")));
  Run agg = ws.run("frost aggregate " + ws.p("message.bin") + " --group " + ws.p("group-2.json") +
                   " --commitments " + ws.p("commitments") + " --shares " + ws.p("shares") + " --out " +
                   ws.p("sig.bin"));
  require_ok(agg);
  CHECK(libsodium_verifies(ws, key, to_bytes("cocoon release 2026.11 targets"), "sig.bin"));
  CHECK(python_nacl_verify(ws, key, "message.bin", "sig.bin") == 0);
  ws.write("other.bin", "cocoon release 2026.12 targets");
  CHECK(python_nacl_verify(ws, key, "other.bin", "sig.bin") == 1);
  CHECK(agg.out.size() == 129);  // the signature in hex and a newline
}

TEST_CASE("cli: a TUF draft is signed over the canonical JSON of its signed member") {
  Workspace ws;
  dealer_group(ws);
  ws.write("targets.json",
           "{\n  \"signatures\": [],\n  \"signed\": {\"version\": 3, \"_type\": \"targets\", \"targets\": "
           "{}}\n}\n");
  for (int id : {2, 4, 5}) commit_for(ws, id, "targets.json", "c/" + std::to_string(id) + ".json");
  for (int id : {2, 4, 5})
    require_ok(sign_for(ws, id, "targets.json", "c", "s/" + std::to_string(id) + ".json"));
  require_ok(ws.run("frost aggregate " + ws.p("targets.json") + " --group " + ws.p("keys/group.json") +
                    " --commitments " + ws.p("c") + " --shares " + ws.p("s") + " --out " + ws.p("sig.bin")));
  const std::string canonical = R"({"_type":"targets","targets":{},"version":3})";
  CHECK(libsodium_verifies(ws, group_key(ws, "keys/group.json"), to_bytes(canonical), "sig.bin"));
  ws.write("canonical.bin", canonical);
  CHECK(python_nacl_verify(ws, group_key(ws, "keys/group.json"), "canonical.bin", "sig.bin") == 0);
  // A draft with duplicate keys is refused rather than signed as raw bytes.
  ws.write("dup.json", R"({"signed":{"a":1,"a":2}})");
  require_refused(ws.run("frost commit " + ws.p("dup.json") + " --state " + ws.p("keys/participant-1") +
                         " --out " + ws.p("x.json")),
                  2, "does not parse");
}

TEST_CASE("cli: a consumed nonce is refused, and a message other than the committed one is refused") {
  Workspace ws;
  dealer_group(ws);
  ws.write("m.bin", "message one");
  ws.write("other.bin", "message two");
  for (int id : {1, 2, 3}) commit_for(ws, id, "m.bin", "c/" + std::to_string(id) + ".json");
  // Wrong message: refused before the nonces are touched.
  require_refused(sign_for(ws, 1, "other.bin", "c", "s1.json"), 1, "was made for a different message");
  require_ok(sign_for(ws, 1, "m.bin", "c", "s/1.json"));
  // Same commitment again: the nonces are gone and the tombstone names the reason.
  require_refused(sign_for(ws, 1, "m.bin", "c", "s/1-again.json"), 13,
                  "were already used; refusing to reuse them");
  CHECK_FALSE(fs::exists(ws / "s/1-again.json"));
  // Even with the tombstone removed, the nonces themselves no longer exist.
  for (const auto& e : fs::directory_iterator(ws / "keys/participant-1/nonces"))
    if (e.path().extension() == ".used") fs::remove(e.path());
  require_refused(sign_for(ws, 1, "m.bin", "c", "s/1-again.json"), 12, "no nonces for commitment");
  // A coordinator that swaps in a commitment with a different message for another signer is refused.
  Json c2 = ws.json("c/2.json");
  c2["message_sha256"] = std::string(64, '0');
  ws.write_json("c/2.json", c2);
  require_refused(sign_for(ws, 3, "m.bin", "c", "s/3.json"), 1,
                  "participant 2 committed to a different message");
}

TEST_CASE("cli: 2 of 5 cannot sign, and a tampered share is detected and attributed") {
  Workspace ws;
  dealer_group(ws);
  ws.write("m.bin", "release");
  for (int id : {1, 4}) commit_for(ws, id, "m.bin", "two/" + std::to_string(id) + ".json");
  require_refused(sign_for(ws, 1, "m.bin", "two", "x.json"), 2,
                  "only 2 signers committed, the threshold is 3");
  for (int id : {1, 4, 5}) commit_for(ws, id, "m.bin", "c/" + std::to_string(id) + ".json");
  for (int id : {1, 4, 5}) require_ok(sign_for(ws, id, "m.bin", "c", "s/" + std::to_string(id) + ".json"));
  // With only two of the three shares, aggregation refuses.
  fs::create_directories(ws / "s2");
  fs::copy(ws / "s/1.json", ws / "s2/1.json");
  fs::copy(ws / "s/4.json", ws / "s2/4.json");
  const std::string agg = "frost aggregate " + ws.p("m.bin") + " --group " + ws.p("keys/group.json") +
                          " --commitments " + ws.p("c") + " --out " + ws.p("sig.bin") + " --shares ";
  require_refused(ws.run(agg + ws.p("s2")), 2, "no signature share from participant 5, who committed");
  // Participant 4's share replaced by another valid scalar.
  Json s4 = ws.json("s/4.json");
  std::string share = s4["share"].get<std::string>();
  share[0] = share[0] == '1' ? '2' : '1';
  s4["share"] = share;
  ws.write_json("s/4.json", s4);
  require_refused(ws.run(agg + ws.p("s")), 4, "signature share of participant 4 is invalid");
  CHECK_FALSE(fs::exists(ws / "sig.bin"));
}

TEST_CASE(
    "cli: DKG participants with a bad proof of knowledge or an inconsistent share are named and excluded") {
  Workspace ws;
  for (int id = 1; id <= 4; ++id)
    require_ok(ws.run("frost dkg start --session c2 --threshold 2 --participants 4 --id " +
                      std::to_string(id) + " --state " + ws.p("st" + std::to_string(id)) + " --out " +
                      ws.p("r1/" + std::to_string(id) + ".json")));
  // Participant 4's proof is altered (another valid scalar, so only the proof check can catch it).
  Json p4 = ws.json("r1/4.json");
  std::string mu = p4["proof"]["mu"].get<std::string>();
  mu[0] = mu[0] == '1' ? '2' : '1';
  p4["proof"]["mu"] = mu;
  ws.write_json("r1/4.json", p4);
  for (int id = 1; id <= 3; ++id) {
    Run r = ws.run("frost dkg shares --state " + ws.p("st" + std::to_string(id)) + " --round1 " + ws.p("r1") +
                   " --out-dir " + ws.p("r2"));
    require_ok(r);
    CHECK(r.out.find("excluded participant 4: proof of knowledge of its secret does not verify") !=
          std::string::npos);
  }
  // Participant 4 notices its own package was changed.
  require_refused(ws.run("frost dkg shares --state " + ws.p("st4") + " --round1 " + ws.p("r1") +
                         " --out-dir " + ws.p("r2")),
                  1, "our own round-1 package in the set is not the one we made");
  // Participant 3 sends participant 1 someone else's ciphertext: it does not decrypt as from 3.
  Json forged = ws.json("r2/round2-2-to-1.json");
  forged["from"] = 3;
  ws.write_json("r2/round2-3-to-1.json", forged);
  Run f1 = ws.run("frost dkg finish --state " + ws.p("st1") + " --round1 " + ws.p("r1") + " --round2 " +
                  ws.p("r2") + " --group-out " + ws.p("g1.json"));
  require_ok(f1);
  CHECK(f1.out.find("excluded participant 3: its round-2 share cannot be decrypted") != std::string::npos);
  CHECK(f1.out.find("qualified 1,2)") != std::string::npos);
  Json g1 = ws.json("g1.json");
  REQUIRE(g1["excluded"].size() == 2);
  CHECK(g1["excluded"][0]["id"] == 4);
  CHECK(g1["excluded"][1]["id"] == 3);
  Run f2 = ws.run("frost dkg finish --state " + ws.p("st2") + " --round1 " + ws.p("r1") + " --round2 " +
                  ws.p("r2") + " --group-out " + ws.p("g2.json"));
  require_ok(f2);
  CHECK(f2.out.find("qualified 1,2,3)") != std::string::npos);
  CHECK(g1["group_public_key"] != ws.json("g2.json")["group_public_key"]);
}

TEST_CASE("cli: malformed inputs are refused with a one-line reason") {
  Workspace ws;
  dealer_group(ws);
  ws.write("m.bin", "release");
  for (int id : {1, 2, 3}) commit_for(ws, id, "m.bin", "c/" + std::to_string(id) + ".json");
  for (int id : {1, 2, 3}) require_ok(sign_for(ws, id, "m.bin", "c", "s/" + std::to_string(id) + ".json"));
  const std::string agg_base = "frost aggregate " + ws.p("m.bin") + " --group " + ws.p("keys/group.json") +
                               " --out " + ws.p("sig.bin");
  auto agg_with = [&](const std::string& commitments, const std::string& shares) {
    return ws.run(agg_base + " --commitments " + ws.p(commitments) + " --shares " + ws.p(shares));
  };
  auto variant = [&](const std::string& dir, const std::string& file, const std::string& member,
                     const Json& value) {
    fs::remove_all(ws / dir);
    fs::create_directories(ws / dir);
    std::string src = dir[0] == 'c' ? "c" : "s";
    for (const auto& e : fs::directory_iterator(ws / src)) fs::copy(e.path(), ws / dir / e.path().filename());
    Json j = ws.json(dir + "/" + file);
    j[member] = value;
    ws.write_json(dir + "/" + file, j);
  };
  // Identifier 0, out of range, duplicated.
  variant("cz", "2.json", "id", 0);
  require_refused(agg_with("cz", "s"), 2, "identifier 0 is not allowed");
  variant("ch", "2.json", "id", 9);
  require_refused(agg_with("ch", "s"), 2, "identifier 9 is above the number of participants 5");
  variant("cd", "2.json", "id", 1);
  require_refused(agg_with("cd", "s"), 2, "identifier 1 appears twice");
  variant("cn", "2.json", "id", -1);
  require_refused(agg_with("cn", "s"), 2, "member \"id\" is out of range");
  // Non-canonical scalar (the group order itself) in a share.
  variant("sl", "2.json", "share", "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  require_refused(agg_with("c", "sl"), 2, "scalar is not canonical");
  // Small-order and non-canonical points in a commitment.
  variant("cs", "3.json", "hiding", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
  require_refused(agg_with("cs", "s"), 2, "group element has small order");
  variant("cc", "3.json", "binding", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  require_refused(agg_with("cc", "s"), 2, "group element encoding is not canonical");
  variant("ci", "3.json", "binding", "0100000000000000000000000000000000000000000000000000000000000000");
  require_refused(agg_with("ci", "s"), 2, "group element is the identity");
  // Unknown member, wrong format.
  variant("cu", "1.json", "extra", 1);
  require_refused(agg_with("cu", "s"), 2, "member \"extra\" is not expected here");
  variant("cf", "1.json", "format", "cocoon-frost-share/v1");
  require_refused(agg_with("cf", "s"), 2, "expected \"cocoon-frost-commitment/v1\"");
  // Truncated files: a public share, and the encrypted key.
  fs::create_directories(ws / "st");
  std::string text = read_text_file(ws / "s/1.json").value();
  ws.write("st/1.json", text.substr(0, text.size() / 2));
  require_refused(agg_with("c", "st"), 2, "1.json");
  std::string key = read_text_file(ws / "keys/participant-4/key.json").value();
  ws.write("keys/participant-4/key.json", key.substr(0, key.size() - 40));
  require_refused(ws.run("frost commit " + ws.p("m.bin") + " --state " + ws.p("keys/participant-4") +
                         " --out " + ws.p("x.json")),
                  2, "key.json");
  // Wrong passphrase.
  require_refused(ws.run("frost commit " + ws.p("m.bin") + " --state " + ws.p("keys/participant-5") +
                             " --out " + ws.p("x.json"),
                         "wrong passphrase"),
                  13, "wrong passphrase or corrupted file");
  // A group file whose verifying share was swapped.
  Json g = ws.json("keys/group.json");
  g["verifying_shares"][4]["key"] = g["verifying_shares"][3]["key"];
  ws.write_json("bad-group.json", g);
  require_refused(
      ws.run("frost aggregate " + ws.p("m.bin") + " --group " + ws.p("bad-group.json") + " --commitments " +
             ws.p("c") + " --shares " + ws.p("s") + " --out " + ws.p("sig.bin")),
      13, "verifying share of participant 5 is inconsistent");
  // Bad parameters.
  require_refused(ws.run("frost keygen --dealer --threshold 4 --participants 3 --out-dir " + ws.p("k2")), 2,
                  "threshold 4 exceeds the number of participants 3");
  require_refused(ws.run("frost dkg start --session 'a b' --threshold 2 --participants 3 --id 1 --state " +
                         ws.p("d") + " --out " + ws.p("d.json")),
                  2, "session name");
  // Still fine with the untouched inputs.
  require_ok(agg_with("c", "s"));
}
