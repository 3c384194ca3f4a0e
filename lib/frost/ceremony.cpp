#include "frost/ceremony.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <system_error>

#include "core/file_io.hpp"
#include "crypto/hash.hpp"
#include "frost/message.hpp"
#include "frost/secret_file.hpp"

namespace cocoon::frost {
namespace fs = std::filesystem;
namespace {

namespace jf = json_field;

constexpr std::string_view kKeyKind = "key-package";
constexpr std::string_view kDkgKind = "dkg-secret";
constexpr std::string_view kNoncesKind = "signing-nonces";

Error in_file(const fs::path& path, Error e) {
  e.message = path.string() + ": " + e.message;
  return e;
}

Result<Json> load_json(const fs::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 20));
  return parse_json(text, path.string());
}

template <typename T, typename Parse>
Result<T> load_public(const fs::path& path, Parse parse) {
  COCOON_ASSIGN(Json j, load_json(path));
  auto parsed = parse(j);
  if (!parsed.ok()) return in_file(path, std::move(parsed).error());
  return std::move(parsed).value();
}

// Public outputs go wherever the caller names, creating the directory if needed.
Status write_public(const fs::path& path, ByteView data) {
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) return make_error(Errc::io, "cannot create " + path.parent_path().string() + ": " + ec.message());
  }
  return write_file_atomic(path, data);
}

Status write_json(const fs::path& path, const Json& j) {
  return write_public(path, as_bytes(pretty_json(j)));
}

Status ensure_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0)
    return make_error(Errc::io, "cannot restrict permissions of " + dir.string());
  return Ok{};
}

Status ensure_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
  return Ok{};
}

fs::path key_path(const ParticipantState& s) {
  return s.dir / "key.json";
}
fs::path dkg_path(const ParticipantState& s) {
  return s.dir / "dkg.json";
}
fs::path nonce_dir(const ParticipantState& s) {
  return s.dir / "nonces";
}

// fs::exists without exceptions: an unreadable path counts as present, so nothing is overwritten.
bool present(const fs::path& p) {
  std::error_code ec;
  const bool exists = fs::exists(p, ec);
  return exists || (ec && ec != std::errc::no_such_file_or_directory);
}

std::array<std::uint8_t, 32> message_digest(const Bytes& message) {
  Bytes d = crypto::sha256(message);
  std::array<std::uint8_t, 32> out;
  std::copy(d.begin(), d.end(), out.begin());
  return out;
}

std::string commitment_id(const SigningCommitment& c) {
  Bytes both(c.hiding.bytes().begin(), c.hiding.bytes().end());
  both.insert(both.end(), c.binding.bytes().begin(), c.binding.bytes().end());
  return hex_encode(crypto::sha256(both)).substr(0, 32);
}

Json key_to_json(const KeyPackage& key) {
  return Json{{"id", key.id},
              {"signing_share", key.signing_share.hex()},
              {"group", group_to_json(GroupFile{key.public_package, {}})}};
}

Result<KeyPackage> key_from_json(const Json& j) {
  const std::string_view what = "key package";
  COCOON_TRY(jf::exact_members(j, {"id", "signing_share", "group"}, what));
  KeyPackage key;
  COCOON_ASSIGN(key.id, jf::u32(j, "id", what));
  COCOON_ASSIGN(key.signing_share, jf::scalar(j, "signing_share", what));
  COCOON_ASSIGN(GroupFile g, group_from_json(j.at("group")));
  key.public_package = std::move(g.group);
  COCOON_TRY(check_key_package(key));
  return key;
}

Json dkg_secret_to_json(const DkgSecret& s) {
  Json coefficients = Json::array();
  for (const Scalar& a : s.polynomial.coefficients) coefficients.push_back(a.hex());
  return Json{{"session", s.session},
              {"threshold", s.params.threshold},
              {"participants", s.params.max_participants},
              {"id", s.id},
              {"coefficients", coefficients},
              {"encryption_secret", hex_encode(s.encryption_secret)}};
}

Result<DkgSecret> dkg_secret_from_json(const Json& j) {
  const std::string_view what = "DKG secret";
  COCOON_TRY(jf::exact_members(
      j, {"session", "threshold", "participants", "id", "coefficients", "encryption_secret"}, what));
  DkgSecret s;
  COCOON_ASSIGN(s.session, jf::string(j, "session", what));
  COCOON_ASSIGN(s.params.threshold, jf::u32(j, "threshold", what));
  COCOON_ASSIGN(s.params.max_participants, jf::u32(j, "participants", what));
  COCOON_TRY(check_params(s.params));
  COCOON_ASSIGN(s.id, jf::u32(j, "id", what));
  const Json& coefficients = j.at("coefficients");
  if (!coefficients.is_array() || coefficients.size() != s.params.threshold)
    return make_error(Errc::invalid_input, "DKG secret: wrong number of coefficients");
  for (const Json& c : coefficients) {
    if (!c.is_string()) return make_error(Errc::invalid_input, "DKG secret: a coefficient is not a string");
    COCOON_ASSIGN(Bytes b, [&]() -> Result<Bytes> { return hex_decode(c.get<std::string>()); }());
    COCOON_ASSIGN(Scalar a, Scalar::from_canonical(b, "DKG secret coefficient"));
    sodium_memzero(b.data(), b.size());
    s.polynomial.coefficients.push_back(a);
  }
  COCOON_ASSIGN(Bytes enc, jf::hex(j, "encryption_secret", 32, what));
  std::copy(enc.begin(), enc.end(), s.encryption_secret.begin());
  sodium_memzero(enc.data(), enc.size());
  return s;
}

Json nonces_to_json(const SigningNonces& n, const CommitmentFile& public_part) {
  return Json{{"hiding", n.hiding.hex()},
              {"binding", n.binding.hex()},
              {"commitment", commitment_to_json(public_part)}};
}

struct StoredNonces {
  SigningNonces nonces;
  CommitmentFile public_part;
};

Result<StoredNonces> nonces_from_json(const Json& j) {
  const std::string_view what = "signing nonces";
  COCOON_TRY(jf::exact_members(j, {"hiding", "binding", "commitment"}, what));
  StoredNonces s;
  COCOON_ASSIGN(s.nonces.hiding, jf::scalar(j, "hiding", what));
  COCOON_ASSIGN(s.nonces.binding, jf::scalar(j, "binding", what));
  COCOON_ASSIGN(s.public_part, commitment_from_json(j.at("commitment")));
  s.nonces.commitment = s.public_part.commitment;
  COCOON_ASSIGN(Point d, Point::base_mul(s.nonces.hiding));
  COCOON_ASSIGN(Point e, Point::base_mul(s.nonces.binding));
  if (!(d == s.nonces.commitment.hiding) || !(e == s.nonces.commitment.binding))
    return make_error(Errc::crypto, "stored nonces do not match their commitment");
  return s;
}

Result<DkgSecret> load_dkg_secret(const ParticipantState& state) {
  auto j = read_secret_file(dkg_path(state), kDkgKind, state.passphrase);
  if (!j.ok()) {
    if (j.error().code == Errc::not_found)
      return make_error(Errc::not_found,
                        "no DKG in progress in " + state.dir.string() + " (run `dkg start` first)");
    return std::move(j).error();
  }
  return dkg_secret_from_json(*j);
}

Result<std::vector<DkgRound1Package>> load_round1_set(const std::vector<fs::path>& inputs) {
  COCOON_ASSIGN(std::vector<fs::path> files, expand_inputs(inputs));
  std::vector<DkgRound1Package> packages;
  for (const fs::path& f : files) {
    COCOON_ASSIGN(DkgRound1Package p, load_public<DkgRound1Package>(f, round1_from_json));
    packages.push_back(std::move(p));
  }
  return packages;
}

// The commitment files of one signing session, all for `group_key` and the same message.
Result<SigningPackage> load_signing_package(const std::vector<fs::path>& inputs, const Point& group_key,
                                            const Bytes& message) {
  COCOON_ASSIGN(std::vector<fs::path> files, expand_inputs(inputs));
  const auto digest = message_digest(message);
  SigningPackage package;
  package.message = message;
  for (const fs::path& f : files) {
    COCOON_ASSIGN(CommitmentFile c, load_public<CommitmentFile>(f, commitment_from_json));
    if (!(c.group_public_key == group_key))
      return make_error(Errc::mismatch, f.string() + ": commitment is for another group key");
    if (c.message_sha256 != digest)
      return make_error(Errc::mismatch, f.string() + ": participant " + std::to_string(c.commitment.id) +
                                            " committed to a different message");
    package.commitments.push_back(c.commitment);
  }
  return package;
}

}  // namespace

Result<std::vector<fs::path>> expand_inputs(const std::vector<fs::path>& paths) {
  std::vector<fs::path> out;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      // The error_code overloads throughout: a directory changing under us is an error value, not a throw.
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && it->path().extension() == ".json") found.push_back(it->path());
      }
      if (ec) return make_error(Errc::io, "cannot list " + p.string() + ": " + ec.message());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      return make_error(Errc::not_found, "no such file or directory: " + p.string());
    }
  }
  if (out.empty()) return make_error(Errc::not_found, "no input files given");
  return out;
}

Result<GroupFile> load_group_file(const fs::path& path) {
  return load_public<GroupFile>(path, group_from_json);
}

Result<KeyPackage> load_key_package(const ParticipantState& state) {
  auto j = read_secret_file(key_path(state), kKeyKind, state.passphrase);
  if (!j.ok()) {
    if (j.error().code == Errc::not_found)
      return make_error(Errc::not_found, "no key package in " + state.dir.string());
    return std::move(j).error();
  }
  auto key = key_from_json(*j);
  if (!key.ok()) return in_file(key_path(state), std::move(key).error());
  return key;
}

Result<DkgRound1Package> ceremony_dkg_start(const ParticipantState& state, std::string_view session,
                                            const GroupParams& params, Identifier id,
                                            const fs::path& round1_out) {
  if (present(dkg_path(state)) || present(key_path(state)))
    return make_error(Errc::invalid_input,
                      state.dir.string() + " already holds a DKG or a key; use a new state directory");
  COCOON_ASSIGN(DkgRound1Output r1, dkg_round1(session, params, id));
  COCOON_TRY(ensure_private_dir(state.dir));
  COCOON_TRY(write_secret_file(dkg_path(state), kDkgKind, dkg_secret_to_json(r1.secret), state.passphrase));
  COCOON_TRY(write_json(round1_out, round1_to_json(r1.package)));
  return r1.package;
}

Result<DkgRound2Output> ceremony_dkg_shares(const ParticipantState& state,
                                            const std::vector<fs::path>& round1_inputs,
                                            const fs::path& out_dir) {
  COCOON_ASSIGN(DkgSecret secret, load_dkg_secret(state));
  COCOON_ASSIGN(std::vector<DkgRound1Package> packages, load_round1_set(round1_inputs));
  COCOON_ASSIGN(DkgRound2Output out, dkg_round2(secret, std::move(packages)));
  COCOON_TRY(ensure_dir(out_dir));
  for (const DkgRound2Message& m : out.messages) {
    const fs::path file =
        out_dir / ("round2-" + std::to_string(m.from) + "-to-" + std::to_string(m.to) + ".json");
    COCOON_TRY(write_json(file, round2_to_json(m)));
  }
  return out;
}

Result<DkgResult> ceremony_dkg_finish(const ParticipantState& state,
                                      const std::vector<fs::path>& round1_inputs,
                                      const std::vector<fs::path>& round2_inputs, const fs::path& group_out) {
  COCOON_ASSIGN(DkgSecret secret, load_dkg_secret(state));
  COCOON_ASSIGN(std::vector<DkgRound1Package> packages, load_round1_set(round1_inputs));
  COCOON_ASSIGN(std::vector<fs::path> files, expand_inputs(round2_inputs));
  std::vector<DkgRound2Message> messages;
  for (const fs::path& f : files) {
    COCOON_ASSIGN(DkgRound2Message m, load_public<DkgRound2Message>(f, round2_from_json));
    messages.push_back(std::move(m));
  }
  COCOON_ASSIGN(DkgResult result, dkg_finish(secret, std::move(packages), messages));
  COCOON_TRY(write_secret_file(key_path(state), kKeyKind, key_to_json(result.key), state.passphrase));
  COCOON_TRY(write_json(group_out, group_to_json(GroupFile{result.key.public_package, result.excluded})));
  // The polynomial is no longer needed; keeping it would only widen what a stolen state reveals.
  std::error_code ec;
  fs::remove(dkg_path(state), ec);
  if (ec) return make_error(Errc::io, "cannot delete " + dkg_path(state).string() + ": " + ec.message());
  COCOON_TRY(fsync_dir(state.dir));
  return result;
}

Result<PublicKeyPackage> ceremony_dealer_keygen(const GroupParams& params, const fs::path& out_dir,
                                                std::string_view passphrase) {
  COCOON_ASSIGN(DealerOutput dealt, trusted_dealer_keygen(params));
  COCOON_TRY(ensure_dir(out_dir));
  for (const KeyPackage& key : dealt.key_packages) {
    ParticipantState s{out_dir / ("participant-" + std::to_string(key.id)), std::string(passphrase)};
    COCOON_TRY(ensure_private_dir(s.dir));
    COCOON_TRY(write_secret_file(key_path(s), kKeyKind, key_to_json(key), passphrase));
  }
  COCOON_TRY(write_json(out_dir / "group.json", group_to_json(GroupFile{dealt.public_package, {}})));
  return dealt.public_package;
}

Result<CommitmentFile> ceremony_commit(const ParticipantState& state, const fs::path& message,
                                       const fs::path& out) {
  COCOON_ASSIGN(KeyPackage key, load_key_package(state));
  COCOON_ASSIGN(Bytes msg, load_message(message));
  COCOON_ASSIGN(SigningNonces nonces, commit(key.id, key.signing_share));
  CommitmentFile c;
  c.group_public_key = key.public_package.group_public_key;
  c.commitment = nonces.commitment;
  c.message_sha256 = message_digest(msg);
  // Nonces are stored before the commitment is published, so a published commitment always has them.
  COCOON_TRY(ensure_private_dir(nonce_dir(state)));
  const std::string cid = commitment_id(c.commitment);
  COCOON_TRY(write_secret_file(nonce_dir(state) / (cid + ".json"), kNoncesKind, nonces_to_json(nonces, c),
                               state.passphrase));
  COCOON_TRY(write_json(out, commitment_to_json(c)));
  return c;
}

Result<ShareFile> ceremony_sign(const ParticipantState& state, const fs::path& message,
                                const std::vector<fs::path>& commitment_inputs, const fs::path& out) {
  COCOON_ASSIGN(KeyPackage key, load_key_package(state));
  COCOON_ASSIGN(Bytes msg, load_message(message));
  const auto digest = message_digest(msg);
  // Our own commitment decides which nonces to use; find it before trusting the rest of the set.
  COCOON_ASSIGN(std::vector<fs::path> files, expand_inputs(commitment_inputs));
  std::optional<CommitmentFile> mine;
  for (const fs::path& f : files) {
    COCOON_ASSIGN(CommitmentFile c, load_public<CommitmentFile>(f, commitment_from_json));
    if (c.commitment.id == key.id) mine = c;
  }
  if (!mine)
    return make_error(Errc::invalid_input,
                      "the commitments include none from participant " + std::to_string(key.id));
  const std::string cid = commitment_id(mine->commitment);
  const fs::path nonce_file = nonce_dir(state) / (cid + ".json");
  const fs::path tombstone = nonce_dir(state) / (cid + ".used");
  if (present(tombstone))
    return make_error(Errc::crypto,
                      "the nonces of commitment " + cid + " were already used; refusing to reuse them");
  auto stored_json = read_secret_file(nonce_file, kNoncesKind, state.passphrase);
  if (!stored_json.ok()) {
    if (stored_json.error().code == Errc::not_found)
      return make_error(Errc::not_found, "no nonces for commitment " + cid + " in " + state.dir.string());
    return std::move(stored_json).error();
  }
  COCOON_ASSIGN(StoredNonces stored, nonces_from_json(*stored_json));
  if (stored.public_part.message_sha256 != digest)
    return make_error(Errc::mismatch,
                      "commitment " + cid + " was made for a different message; refusing to sign this one");
  COCOON_ASSIGN(SigningPackage package,
                load_signing_package(files, key.public_package.group_public_key, msg));
  COCOON_TRY(check_signing_package(package, key.public_package));
  COCOON_ASSIGN(Scalar z, sign(package, stored.nonces, key));
  // Consume the nonces before releasing the share: a crash here loses a share, never reuses a nonce.
  COCOON_TRY(write_file_atomic(tombstone, std::string_view("used\n"), 0600));
  std::error_code ec;
  fs::remove(nonce_file, ec);
  if (ec)
    return make_error(Errc::io, "cannot delete used nonces " + nonce_file.string() + ": " + ec.message());
  COCOON_TRY(fsync_dir(nonce_dir(state)));
  ShareFile share;
  share.group_public_key = key.public_package.group_public_key;
  share.id = key.id;
  share.message_sha256 = digest;
  share.commitments_sha256 = commitments_digest(package);
  share.share = z;
  COCOON_TRY(write_json(out, share_to_json(share)));
  return share;
}

Result<Aggregated> aggregate_files(const PublicKeyPackage& group, const Bytes& message,
                                   const std::vector<fs::path>& commitment_inputs,
                                   const std::vector<fs::path>& share_inputs) {
  const auto digest = message_digest(message);
  COCOON_ASSIGN(SigningPackage package,
                load_signing_package(commitment_inputs, group.group_public_key, message));
  COCOON_TRY(check_signing_package(package, group));
  const auto package_digest = commitments_digest(package);
  COCOON_ASSIGN(std::vector<fs::path> files, expand_inputs(share_inputs));
  std::map<Identifier, Scalar> shares;
  for (const fs::path& f : files) {
    COCOON_ASSIGN(ShareFile s, load_public<ShareFile>(f, share_from_json));
    const std::string who = f.string() + ": participant " + std::to_string(s.id);
    if (!(s.group_public_key == group.group_public_key))
      return make_error(Errc::mismatch, who + "'s share is for another group key");
    if (s.message_sha256 != digest) return make_error(Errc::mismatch, who + " signed a different message");
    if (s.commitments_sha256 != package_digest)
      return make_error(Errc::mismatch, who + " signed over a different set of commitments");
    if (!shares.emplace(s.id, s.share).second)
      return make_error(Errc::invalid_input, who + " has more than one share");
  }
  Aggregated out;
  COCOON_ASSIGN(out.signature, aggregate(package, shares, group));
  for (const auto& c : package.commitments) out.signers.push_back(c.id);
  return out;
}

Result<Signature> ceremony_aggregate(const fs::path& group_file, const fs::path& message,
                                     const std::vector<fs::path>& commitment_inputs,
                                     const std::vector<fs::path>& share_inputs, const fs::path& out) {
  COCOON_ASSIGN(GroupFile group, load_group_file(group_file));
  COCOON_ASSIGN(Bytes msg, load_message(message));
  COCOON_ASSIGN(Aggregated result, aggregate_files(group.group, msg, commitment_inputs, share_inputs));
  COCOON_TRY(write_public(out, ByteView(result.signature)));
  return result.signature;
}

}  // namespace cocoon::frost
