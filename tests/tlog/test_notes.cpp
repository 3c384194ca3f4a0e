// Signed notes, checkpoints and cosignatures: the refusals.
#include <catch2/catch.hpp>

#include "tlog/checkpoint.hpp"

using namespace cocoon;
using namespace cocoon::tlog;

namespace {

NoteSigner signer_for(const std::string& name, std::uint8_t fill) {
  Bytes seed(32, fill);
  auto pair = crypto::ed25519_from_seed(seed);
  REQUIRE(pair.ok());
  auto s = make_signer(name, *pair);
  REQUIRE(s.ok());
  return std::move(*s);
}

Checkpoint sample(const std::string& origin) {
  return Checkpoint{origin, 7, leaf_hash(as_bytes("x")), {}};
}

}  // namespace

TEST_CASE("notes: forged, unknown and wrong-origin checkpoints") {
  NoteSigner log = signer_for("example.org/log", 1);
  NoteSigner other = signer_for("example.org/log", 2);  // same name, another key
  std::string signed_note = sign_checkpoint(sample("example.org/log"), log);
  REQUIRE(open_checkpoint(signed_note, log.verifier()).ok());

  // Forged: the body changed after signing.
  std::string forged = signed_note;
  forged.replace(forged.find("\n7\n"), 3, "\n8\n");
  CHECK(open_checkpoint(forged, log.verifier()).error().code == Errc::signature);
  // Signed by another key with the same name: its key hash differs, so no known signature.
  std::string by_other = sign_checkpoint(sample("example.org/log"), other);
  CHECK(open_checkpoint(by_other, log.verifier()).error().code == Errc::signature);
  // A known key hash with a bad signature is an error, not skipped.
  auto note = parse_note(signed_note);
  REQUIRE(note.ok());
  note->signatures[0].signature[3] ^= 1;
  CHECK(open_checkpoint(format_note(*note), log.verifier()).error().code == Errc::signature);
  // Wrong origin, even when correctly signed.
  NoteSigner evil = signer_for("example.org/evil", 3);
  std::string wrong_origin = sign_checkpoint(sample("example.org/evil"), evil);
  CHECK(open_checkpoint(wrong_origin, evil.verifier(), "example.org/log").error().code ==
        Errc::invalid_input);
  // Unknown signature lines are ignored when a known one verifies.
  auto two = parse_note(signed_note);
  REQUIRE(two.ok());
  two->signatures.insert(two->signatures.begin(), sign_note_text(two->text, evil));
  CHECK(open_checkpoint(format_note(*two), log.verifier()).ok());
}

TEST_CASE("notes: malformed notes and key strings are refused") {
  NoteSigner log = signer_for("example.org/log", 1);
  std::string good = sign_checkpoint(sample("example.org/log"), log);
  CHECK(parse_note(good).ok());
  CHECK(parse_note("example.org/log\n7\n").error().code == Errc::invalid_input);  // no signatures
  std::string cr = good;
  cr.insert(cr.find('\n'), "\r");
  CHECK(parse_note(cr).error().code == Errc::invalid_input);
  std::string bad_utf8 = good;
  bad_utf8.insert(3, "\xC0\x80");
  CHECK(parse_note(bad_utf8).error().code == Errc::invalid_input);
  std::string hyphen = good;
  hyphen.replace(hyphen.find("\xE2\x80\x94"), 3, "-");
  CHECK(parse_note(hyphen).error().code == Errc::invalid_input);
  std::string no_final_newline = good.substr(0, good.size() - 1);
  CHECK(parse_note(no_final_newline).error().code == Errc::invalid_input);

  CHECK(parse_checkpoint_body("o\n007\nAAAA\n").error().code == Errc::invalid_input);
  CHECK(parse_checkpoint_body("o\n7\nAAAA\n").error().code == Errc::invalid_input);
  CHECK(parse_checkpoint_body("\n7\n" + hash_base64(Hash{}) + "\n").error().code == Errc::invalid_input);
  CHECK(parse_checkpoint_body("o\n-7\n" + hash_base64(Hash{}) + "\n").error().code == Errc::invalid_input);
  auto ext = parse_checkpoint_body("o\n7\n" + hash_base64(Hash{}) + "\nextra line\n");
  REQUIRE(ext.ok());
  CHECK(ext->extensions == std::vector<std::string>{"extra line"});

  std::string vkey = format_verifier_key(log.verifier());
  CHECK(parse_verifier_key(vkey).ok());
  std::string wrong_hash = vkey;
  wrong_hash[vkey.find('+') + 1] = wrong_hash[vkey.find('+') + 1] == '0' ? '1' : '0';
  CHECK(parse_verifier_key(wrong_hash).error().code == Errc::invalid_input);
  CHECK(parse_verifier_key("name+12345678").error().code == Errc::invalid_input);
  CHECK(parse_verifier_key("bad name+12345678+AQ==").error().code == Errc::invalid_input);
  std::string skey = format_signer_key(log);
  auto back = parse_signer_key(skey);
  REQUIRE(back.ok());
  CHECK(back->pair.public_key == log.pair.public_key);
  CHECK(parse_signer_key(skey.substr(8)).error().code == Errc::invalid_input);
}

TEST_CASE("cosignatures: forged and wrong-key cosignatures are refused") {
  NoteSigner log = signer_for("example.org/log", 1);
  NoteSigner witness = signer_for("example.org/witness", 5);
  Checkpoint c = sample("example.org/log");
  auto note = parse_note(sign_checkpoint(c, log));
  REQUIRE(note.ok());
  NoteVerifier wv = make_verifier(witness.name, kAlgCosignatureV1, witness.pair.public_key);
  CHECK(verify_cosignature(*note, wv).error().code == Errc::not_found);
  note->signatures.push_back(cosign_checkpoint(note->text, 1700000000, witness));
  auto t = verify_cosignature(*note, wv);
  REQUIRE(t.ok());
  CHECK(*t == 1700000000);
  // Changing the timestamp breaks the signature.
  note->signatures.back().signature[7] ^= 1;
  CHECK(verify_cosignature(*note, wv).error().code == Errc::signature);
  // An Ed25519 (0x01) key cannot be used as a witness key.
  CHECK(verify_cosignature(*note, witness.verifier()).error().code == Errc::invalid_input);
  // The cosignature line never counts as the log's own signature.
  NoteVerifier as_log = make_verifier(witness.name, kAlgEd25519, witness.pair.public_key);
  CHECK(verify_note(*note, {as_log}).error().code == Errc::signature);
}

TEST_CASE("notes: key strings whose base64 contains '+' or '/' round-trip") {
  int plus_seen = 0;
  for (int fill = 0; fill < 64; ++fill) {
    NoteSigner s = signer_for("example.org/k", static_cast<std::uint8_t>(fill));
    std::string v = format_verifier_key(s.verifier());
    std::string key_part = v.substr(v.find('+', v.find('+') + 1) + 1);
    if (key_part.find('+') != std::string::npos) ++plus_seen;
    auto parsed = parse_verifier_key(v);
    REQUIRE(parsed.ok());
    CHECK(parsed->key == s.pair.public_key);
    auto back = parse_signer_key(format_signer_key(s));
    REQUIRE(back.ok());
    CHECK(back->pair.public_key == s.pair.public_key);
  }
  CHECK(plus_seen > 0);
}
