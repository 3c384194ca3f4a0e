// What a watching builder makes of a log entry anyone may have appended (watch::examine_entry): a
// candidate, a release, its own verdict, or nothing. The harness trusts one key (seed sha256("rebuild"),
// the key make-seeds.py signs with) as the root's targets role (threshold 1) and as the builder's own.
// Properties: at most one kind of finding; a candidate comes only from an entry that opens under the
// trusted key, with the recipe its digest names; a release only from targets metadata, one job per
// product with the product's labels; an own verdict only from a verdict that opens under the builder key.
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "fuzz_common.hpp"
#include "rebuild/entries.hpp"
#include "release/roles.hpp"
#include "watch/discover.hpp"

namespace {

using namespace cocoon;

const watch::Trust& trust() {
  static const watch::Trust t = [] {
    auto pair = crypto::ed25519_from_seed(crypto::sha256(std::string_view("rebuild")));
    FUZZ_CHECK(pair.ok());
    crypto::PublicKey pub;
    pub.name = "rebuild";
    pub.key = pair->public_key;
    pub.keyid = crypto::ed25519_key_id(pair->public_key);
    watch::Trust out;
    out.root.keys.emplace(pub.keyid, crypto::TufKey(pub.key));
    for (const char* role : {"root", "targets", "snapshot", "timestamp"})
      out.root.roles[role] = release::RoleKeys{{pub.keyid}, 1};
    out.maintainers = {pub};
    out.builder = pub;
    return out;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteView entry = fuzz::bytes(data, size);
  watch::Finding f = watch::examine_entry(7, entry, trust());
  int kinds = (f.candidate ? 1 : 0) + (f.releases.empty() ? 0 : 1) + (f.own_verdict_key ? 1 : 0);
  FUZZ_CHECK(kinds <= 1);
  if (f.candidate) {
    FUZZ_CHECK(rebuild::open_candidate(entry, trust().maintainers).ok());
    FUZZ_CHECK(crypto::sha256_hex(f.candidate->recipe) == f.candidate->recipe_sha256);
    FUZZ_CHECK(f.candidate->log_index == 7);
  }
  for (const auto& job : f.releases) {
    FUZZ_CHECK(job.kind == watch::JobKind::release);
    FUZZ_CHECK(job.log_index == 7);
    FUZZ_CHECK(job.key == watch::release_job_key(job.product, job.version, job.recipe_sha256));
    FUZZ_CHECK(!job.product.empty());
  }
  if (f.own_verdict_key) FUZZ_CHECK(rebuild::open_verdict(entry, {trust().builder}).ok());
  return 0;
}
