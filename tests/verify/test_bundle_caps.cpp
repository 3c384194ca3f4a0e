// Offline bundles that are not bundles are refused before they cost more than their size: a file of
// zeros at the JSON parser's first byte, a file over kMaxOfflineBundleBytes before it is read.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "core/file_io.hpp"
#include "verify/offline_bundle.hpp"

using namespace cocoon;
using namespace cocoon::verify;
namespace fs = std::filesystem;

namespace {

const std::string kTool = COCOON_BINARY_DIR "/tools/cocoon-verify/cocoon-verify";

struct Ran {
  int exit_code = -1;
  std::string output;
};
Ran run(const std::string& cmd) {
  Ran r;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int st = ::pclose(p);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace

TEST_CASE("offline bundle: zeros and other non-bundles are refused as invalid input") {
  auto zeros = parse_offline_bundle(Bytes(1 << 20, 0));
  REQUIRE_FALSE(zeros.ok());
  CHECK(zeros.error().code == Errc::invalid_input);
  CHECK(zeros.error().message.rfind("offline bundle is not valid JSON", 0) == 0);
  auto wrong = parse_offline_bundle(as_bytes(std::string(R"({"schema":"x","files":{}})")));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "offline bundle: schema is not cocoon-offline-bundle/v1");
  auto good = parse_offline_bundle(as_bytes(
      std::string(R"({"schema":"cocoon-offline-bundle/v1","files":{"metadata/1.root.json":"e30="}})")));
  REQUIRE(good.ok());
  CHECK(to_string(good->at("metadata/1.root.json")) == "{}");
}

TEST_CASE("cocoon-verify update refuses a bundle of zeros and one over the size cap with exit 2") {
  TempDir tmp = TempDir::create("cocoon-bundle-caps-").value();
  fs::path zeros = tmp.path() / "zeros.bundle", huge = tmp.path() / "huge.bundle",
           root = tmp.path() / "root.json";
  REQUIRE(write_file_atomic(zeros, Bytes(8 << 20, 0)).ok());
  REQUIRE(write_file_atomic(root, std::string("{}")).ok());
  // Sparse: the cap is checked on the size before a byte is read.
  { std::ofstream(huge).put('{'); }
  fs::resize_file(huge, kMaxOfflineBundleBytes + 1);
  std::string base = kTool + " update --root " + root.string() + " --state " +
                     (tmp.path() / "state").string() + " --bundle ";
  auto z = run(base + zeros.string());
  INFO(z.output);
  CHECK(z.exit_code == 2);
  CHECK(z.output.find("offline bundle is not valid JSON") != std::string::npos);
  auto h = run(base + huge.string());
  INFO(h.output);
  CHECK(h.exit_code == 2);
  CHECK(h.output.find("is larger than the limit of " + std::to_string(kMaxOfflineBundleBytes)) !=
        std::string::npos);
}
