#pragma once
// A Cocoon TUF repository built in a temporary directory for tests: 3 maintainers (root and targets
// threshold 2), one online key (snapshot/timestamp), 3 builders (threshold 2), a log and 3 witnesses
// (quorum 2), all generated fresh. Each piece can be made on its own so attack tests can forge one
// file and leave the rest honest.
//
// Example: Repo r; r.publish(1, {{"app/app.tar", "v1 bytes"}}) writes metadata/1.targets.json,
// 1.snapshot.json, timestamp.json (v1), the target under its sha256 and sha512 names, the cited
// builder attestations and log/1.targets.bundle.json; run_update with r.options() accepts it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/key_file.hpp"
#include "release/roles.hpp"
#include "tlog/note.hpp"
#include "tlog/proof.hpp"
#include "verify/fetcher.hpp"
#include "verify/updater.hpp"

#include <catch2/catch.hpp>

namespace cocoon::verify::testing {

// 2027-01-15T08:00:00Z: all metadata expires a year after.
inline constexpr UnixSeconds kNow = 1800000000;
inline constexpr UnixSeconds kYear = 365 * 86400;

using Files = std::map<std::string, std::string>;  // target path -> content

class Repo {
 public:
  explicit Repo(bool cocoon_policy = true);

  std::filesystem::path repo() const { return dir_.path() / "repo"; }
  std::filesystem::path state() const { return dir_.path() / "state"; }
  std::filesystem::path scratch() const { return dir_.path(); }

  // Signs `signed_part` with each key (in order; a key may be given twice) and returns the file text.
  static Bytes sign(const Json& signed_part, const std::vector<const crypto::SecretKey*>& keys);
  void write(const std::string& rel, ByteView bytes) const;
  void write(const std::string& rel, const std::string& text) const { write(rel, as_bytes(text)); }
  Bytes read(const std::string& rel) const;

  // The root model of the current keys at `version`; snapshot/timestamp use online_.
  release::Root root_model(std::uint64_t version, UnixSeconds expires = kNow + kYear) const;
  // Writes metadata/<v>.root.json and root.json.
  void publish_root(const Bytes& bytes, std::uint64_t version) const;

  // Target files (under every hash), the builders' attestations and the targets metadata (not written).
  // `attesting` are builder indices; `lying` builders attest a different digest.
  Bytes make_targets(std::uint64_t version, const Files& files, std::vector<int> attesting = {0, 1},
                     std::vector<int> lying = {}, UnixSeconds expires = kNow + kYear,
                     std::optional<std::vector<const crypto::SecretKey*>> signers = std::nullopt);
  Bytes make_snapshot(std::uint64_t version, std::uint64_t targets_version, const Bytes& targets,
                      UnixSeconds expires = kNow + kYear) const;
  Bytes make_timestamp(std::uint64_t version, std::uint64_t snapshot_version, const Bytes& snapshot,
                       UnixSeconds expires = kNow + kYear) const;
  // Appends the targets bytes to the log, signs a checkpoint cosigned by `witnesses` (indices), and
  // writes log/<version>.targets.bundle.json.
  void log_targets(std::uint64_t version, const Bytes& targets, std::vector<int> witnesses = {0, 1});

  // The whole honest release: version V of targets, snapshot and timestamp.
  void publish(std::uint64_t version, const Files& files);

  UpdateOptions options(std::optional<std::string> target = std::nullopt) const;
  UpdateReport update(std::optional<std::string> target = std::nullopt, UnixSeconds now = kNow);

  std::vector<crypto::SecretKey> maintainers;
  crypto::SecretKey online;
  std::vector<crypto::SecretKey> builders;
  tlog::NoteSigner log_signer;
  std::vector<tlog::NoteSigner> witnesses;
  Bytes root_v1;
  bool cocoon = true;
  // When set, make_targets labels every target with this release version while the builders attest
  // "<targets version>.0" (a release claiming a version no builder built).
  std::optional<std::string> claimed_version;
  tlog::MemoryTree tree;
  std::vector<Bytes> entries;
  std::vector<std::uint64_t> checkpoint_sizes;

 private:
  TempDir dir_;
};

// The key `signer` as a crypto::SecretKey-shaped key for a duplicate listing (same bytes, other name).
crypto::SecretKey copy_key(const crypto::SecretKey& key, const std::string& name);

}  // namespace cocoon::verify::testing

namespace cocoon::verify::testing {

// Every check line, for failure messages.
inline std::string describe(const UpdateReport& r) {
  std::string out;
  for (const auto& c : r.checks) out += (c.ok ? "  ok   " : "  FAIL ") + c.name + ": " + c.detail + "\n";
  if (r.error) out += "  error: " + r.error->message + "\n";
  return out;
}

}  // namespace cocoon::verify::testing

// The update was refused with error class `code` and a message containing `fragment`.
#define REQUIRE_REFUSED(report, errc_, fragment_)                        \
  do {                                                                   \
    const auto& r_ = (report);                                           \
    INFO(::cocoon::verify::testing::describe(r_));                       \
    REQUIRE_FALSE(r_.accepted());                                        \
    CHECK(r_.error->code == (errc_));                                    \
    CHECK_THAT(r_.error->message, Catch::Matchers::Contains(fragment_)); \
  } while (0)

#define REQUIRE_ACCEPTED(report)                   \
  do {                                             \
    const auto& r_ = (report);                     \
    INFO(::cocoon::verify::testing::describe(r_)); \
    REQUIRE(r_.accepted());                        \
  } while (0)
