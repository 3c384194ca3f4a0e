// `cocoon-build watch` on a release whose recipe predicts TDX measurements, every tool a separate
// process: a git repository of synthetic image files (tests/measure/support.hpp: TDVF firmware, a
// bzImage/PE kernel, an initrd, a command line, two roles' spec directories and a host profile), a
// recipe with a `measure` member whose step copies the image into place, two builders' `cocoon-build
// run --sign`, a release proposed from their attestations (propose copies the agreed measurement.json's
// image hashes into the targets) and published by cocoon-sign to a served, witnessed log. Then builders'
// `watch --once` read the log, rebuild the release and log their verdicts: an honest builder's carries
// the predicted image hashes, which equal the release's; a builder whose `cp` is patched (it changes the
// kernel command line, which is measured but not an artifact, so only measurement.json differs) logs a
// mismatch with matches_release false.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "../measure/support.hpp"
#include "../support/service_process.hpp"
#include "../support/shell.hpp"
#include "core/file_io.hpp"
#include "measure/host_profile.hpp"
#include "rebuild/entries.hpp"
#include "watch/job.hpp"
#include "watch/state.hpp"
#include "watch_world.hpp"

using namespace cocoon;
using namespace watch_test;
namespace fs = std::filesystem;
using cocoon::test::shell_quote;

namespace {

const std::string kProduct = "tdx-image";
const std::string kVersion = "1.0.0";
const std::string kSourceUrl = "https://fixtures.cocoon-release.invalid/tdx-image.git";
const char* const kImageFiles[] = {"OVMF.fd", "image.vmlinuz", "image.initrd", "image.cmdline"};

struct MeasureWorld : WatchWorld {
  std::string commit;

  MeasureWorld() : WatchWorld("watch-measure-") {}

  // The image's sources as a git repository (commit fixed by make-repo.sh): the synthetic files under
  // src/, the roles' spec directories under spec/, the host profile under hosts/.
  void make_source() {
    measure_test::SyntheticImage img = measure_test::synthetic_image();
    fs::path fixture = at("image-fixture");
    fs::create_directories(fixture / "src");
    fs::create_directories(fixture / "hosts");
    for (const char* f : kImageFiles) fs::copy_file(img.dir.path() / f, fixture / "src" / f);
    fs::copy(img.dir.path() / "spec", fixture / "spec", fs::copy_options::recursive);
    REQUIRE(img.inputs.host_profiles.size() == 1);
    REQUIRE(write_file_atomic(fixture / "hosts/lab.json",
                              pretty_json(measure::host_profile_to_json(img.inputs.host_profiles[0])))
                .ok());
    auto r = sh("sh " + shell_quote(kMakeRepo) + " image-fixture source-repo");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    commit = r.output.substr(0, 40);
  }

  // The recipe: one step copies the image files into images/ (with `cp`, found on PATH), the measure
  // member predicts the two roles' image hashes on host profile "lab". The command line is measured
  // but not listed as an artifact.
  void recipe() {
    Json r{{"schema", "cocoon-recipe/v1"},
           {"name", kProduct},
           {"version", kVersion},
           {"source", {{"url", kSourceUrl}, {"commit", commit}}},
           {"steps", Json::array({Json{{"name", "assemble"},
                                       {"run", Json::array({"sh", "-c",
                                                            "mkdir images && for f in OVMF.fd image.vmlinuz "
                                                            "image.initrd image.cmdline; do cp src/$f "
                                                            "images/$f || exit 1; done"})}}})},
           {"artifacts", Json::array({Json{{"name", "OVMF.fd"}, {"file", "images/OVMF.fd"}},
                                      Json{{"name", "image.vmlinuz"}, {"file", "images/image.vmlinuz"}},
                                      Json{{"name", "image.initrd"}, {"file", "images/image.initrd"}}})},
           {"measure",
            {{"ovmf", "images/OVMF.fd"},
             {"kernel", "images/image.vmlinuz"},
             {"initrd", "images/image.initrd"},
             {"cmdline", "images/image.cmdline"},
             {"memory", Json::array({"1G"})},
             {"host_profiles", Json::array({"hosts/lab.json"})},
             {"roles",
              Json::array({Json{{"name", "worker"}, {"append", "cocoon_gpu"}, {"spec", "spec/spec-worker"}},
                           Json{{"name", "proxy"}, {"spec", "spec/spec-proxy"}}})}}}};
    fs::create_directories(at("recipes"));
    REQUIRE(write_file_atomic(at("recipes") / (kProduct + ".json"), pretty_json(r)).ok());
  }

  // A `cp` in DIR that copies like the real one and then writes another kernel command line over any
  // image.cmdline it wrote: a patched tool on one builder's PATH.
  fs::path patched_cp(const std::string& dir) {
    auto real = cocoon::test::run_shell("command -v cp");
    REQUIRE(real.exit_code == 0);
    std::string real_cp = real.output.substr(0, real.output.find('\n'));
    fs::path d = at(dir);
    fs::create_directories(d);
    std::string script = "#!/bin/sh\n" + shell_quote(real_cp) +
                         " \"$@\" || exit $?\n"
                         "for last; do :; done\n"
                         "case \"$last\" in *image.cmdline) printf 'console=hvc0 root=/dev/vda2\\n' > "
                         "\"$last\" ;; esac\n";
    REQUIRE(write_file_atomic(d / "cp", script, 0755).ok());
    return d;
  }

  // `cocoon-build run --sign` by `builder`; returns its output directory.
  fs::path run_build(const std::string& builder) {
    fs::create_directories(at("work-" + builder));
    require_ok(sh(kBuildTool + " run -q recipes/" + kProduct + ".json --sign " + builder +
                  ".key --source source-repo --cache cache-" + builder + " --work-root work-" + builder +
                  " --out out-" + builder));
    return at("out-" + builder);
  }

  // `cocoon-build watch --once` by `builder` (its PATH prefixed with `path_prefix`), a separate process.
  cocoon::test::CommandResult watch_once(const std::string& builder, const std::string& log_url,
                                         const std::string& witness_url,
                                         const std::string& path_prefix = "") {
    fs::create_directories(at("work-" + builder));
    std::string env = path_prefix.empty() ? "" : "PATH=" + q(path_prefix) + ":\"$PATH\" ";
    return sh(env + kBuildTool + " watch --once --interval 0.2 --root root.json --log " + log_url +
              " --witness " + witness_url + " --key " + builder + ".key --state state-" + builder +
              " --recipes recipes --repo repo --source " + kSourceUrl + "=source-repo --cache cache-" +
              builder + " --work-root work-" + builder);
  }

  // The published targets metadata (the repository holds one targets version).
  Json published_targets() {
    std::vector<fs::path> found;
    for (const auto& e : fs::directory_iterator(at("repo/metadata"))) {
      const std::string name = e.path().filename().string();
      if (name.size() > 13 && name.ends_with(".targets.json")) found.push_back(e.path());
    }
    REQUIRE(found.size() == 1);
    auto doc = parse_json(read_text(found[0]));
    REQUIRE(doc.ok());
    return (*doc)["signed"];
  }
};

std::set<std::string> hash_values(const Json& image_hashes) {
  std::set<std::string> out;
  for (const auto& h : image_hashes) out.insert(h["image_hash"].get<std::string>());
  return out;
}

const rebuild::ArtifactResult* artifact(const rebuild::Verdict& v, const std::string& name) {
  for (const auto& a : v.artifacts)
    if (a.name == name) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE(
    "watch: a rebuilt release with a measure member logs its predicted image hashes, equal to the "
    "release's, and a patched builder's differing measurement is a mismatch",
    "[watch][e2e][measure]") {
  MeasureWorld w;
  w.make_source();
  w.recipe();
  w.make_log();
  auto services = w.start_log_services();
  auto& witness = services.witness;
  const std::string& witness_vkey = services.witness_vkey;
  const std::string& log_url = services.log_url;
  w.root(witness_vkey);

  // Two builders rebuild the recipe and sign; their measurement.json files are the same bytes.
  fs::path out1 = w.run_build("b1");
  fs::path out2 = w.run_build("b2");
  std::string measurement = read_text(out1 / "measurement.json");
  REQUIRE_FALSE(measurement.empty());
  CHECK(measurement == read_text(out2 / "measurement.json"));
  auto predicted_doc = parse_json(measurement);
  REQUIRE(predicted_doc.ok());
  // One host profile, two roles with a spec each, every OVMF layout: several image hashes.
  REQUIRE((*predicted_doc)["image_hashes"].size() >= 2);

  // The release: proposed from b1's and b2's attestations with b1's files (measurement.json among them),
  // signed by alice and bob, published to the repository and the log.
  fs::create_directories(w.at("att"));
  fs::create_directories(w.at("art"));
  fs::copy_file(out1 / "attestation.dsse.json", w.at("att/b1.json"));
  fs::copy_file(out2 / "attestation.dsse.json", w.at("att/b2.json"));
  for (const char* f : {"OVMF.fd", "image.vmlinuz", "image.initrd", "measurement.json"})
    fs::copy_file(out1 / f, w.at("art") / f);
  w.require_ok(w.sh(kSignTool + " propose --version " + kVersion + " --recipe recipes/" + kProduct +
                    ".json --attestations att --artifacts art --repo repo --out draft.json"));
  w.require_ok(w.sh(kSignTool + " sign draft.json --key alice.key"));
  w.require_ok(w.sh(kSignTool + " sign draft.json --key bob.key"));
  w.require_ok(w.sh(kSignTool + " publish draft.json --repo repo --online-key online.key --artifacts art " +
                    "--attestations att --log " + log_url + " --witness " + witness->url()));

  // What the release's targets say about measurement.json: its digest and the image hashes propose
  // copied from it.
  Json targets = w.published_targets();
  const std::string target = kProduct + "/measurement.json";
  REQUIRE(targets["targets"].contains(target));
  const Json& released = targets["targets"][target];
  const std::string released_sha256 = released["hashes"]["sha256"].get<std::string>();
  const Json released_hashes = released["custom"]["cocoon"]["image_hashes"];
  REQUIRE(released_hashes.is_array());
  REQUIRE(released_hashes.size() == (*predicted_doc)["image_hashes"].size());
  const std::set<std::string> released_set = hash_values(released_hashes);
  std::set<std::string> roles;
  for (const auto& h : released_hashes) roles.insert(h["role"].get<std::string>());
  CHECK(roles == std::set<std::string>{"proxy", "worker"});

  SECTION("an honest builder reproduces the release and its image hashes") {
    auto run = w.watch_once("b3", log_url, witness->url());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    auto job = job_for(w.at("state-b3"), watch::JobKind::release, kProduct);
    REQUIRE(job);
    CHECK(job->outcome == "reproduced");

    auto verdicts = w.verdicts("b3", kProduct);
    REQUIRE(verdicts.size() == 1);
    const rebuild::Verdict& v = verdicts[0];
    CHECK(v.subject.kind == rebuild::VerdictSubject::Kind::release);
    CHECK(v.labels.version == kVersion);
    CHECK(v.outcome == rebuild::Outcome::reproduced);
    CHECK(v.artifacts.size() == 4);
    REQUIRE(v.measurement);
    const Json& m = *v.measurement;
    INFO(pretty_json(m));
    CHECK(m["matches_release"] == true);
    CHECK(m["predicted"]["artifact"] == "measurement.json");
    CHECK(m["predicted"]["sha256"] == released_sha256);
    const Json& predicted = m["predicted"]["image_hashes"];
    REQUIRE(predicted.is_array());
    CHECK_FALSE(predicted.empty());
    CHECK(hash_values(predicted) == released_set);
    // The labels of each hash come along too: the same list, entry for entry.
    CHECK(predicted == released_hashes);
  }

  SECTION("a builder with a patched cp predicts other image hashes: mismatch, matches_release false") {
    fs::path patched = w.patched_cp("patched-bin");
    auto run = w.watch_once("b4", log_url, witness->url(), patched.string());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    auto job = job_for(w.at("state-b4"), watch::JobKind::release, kProduct);
    REQUIRE(job);
    CHECK(job->outcome == "mismatch");

    auto verdicts = w.verdicts("b4", kProduct);
    REQUIRE(verdicts.size() == 1);
    const rebuild::Verdict& v = verdicts[0];
    CHECK(v.outcome == rebuild::Outcome::mismatch);
    // The image files are the release's; only the predicted measurement differs.
    for (const char* f : {"OVMF.fd", "image.vmlinuz", "image.initrd"}) {
      INFO(f);
      auto a = artifact(v, f);
      REQUIRE(a);
      CHECK(a->sha256 == a->expected_sha256);
    }
    auto a = artifact(v, "measurement.json");
    REQUIRE(a);
    CHECK(a->expected_sha256 == released_sha256);
    CHECK(a->sha256 != released_sha256);
    INFO(v.first_difference);
    CHECK(v.first_difference.starts_with("measurement.json: "));
    CHECK(fs::exists(watch::job_dir(w.at("state-b4"), job->id) / "diff.txt"));
    REQUIRE(v.measurement);
    const Json& m = *v.measurement;
    INFO(pretty_json(m));
    CHECK(m["matches_release"] == false);
    CHECK(m["predicted"]["sha256"] == a->sha256);
    const Json& predicted = m["predicted"]["image_hashes"];
    REQUIRE(predicted.is_array());
    CHECK(predicted.size() == released_hashes.size());
    // The command line is in RTMR2 of every role: no predicted image hash is one the release lists.
    for (const auto& h : hash_values(predicted)) CHECK_FALSE(released_set.count(h));
  }
}
