// Builder-agreement benchmark: N builders each sign a statement about M artifacts.
//   bench_attest generate DIR N M   writes DIR/builders.json and DIR/att/<i>.json
//   bench_attest compare DIR K R    loads and compares R times in process; prints the best time in ms
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "attest/compare.hpp"
#include "core/file_io.hpp"
#include "crypto/hash.hpp"

using namespace cocoon;
namespace fs = std::filesystem;

static int fail(const Error& e) {
  std::fprintf(stderr, "bench_attest: %s\n", e.message.c_str());
  return 1;
}

static int generate(const fs::path& dir, int builders, int artifacts) {
  fs::create_directories(dir / "att");
  Json list = Json::array();
  for (int i = 0; i < builders; ++i) {
    auto key = crypto::generate_secret_key("builder-" + std::to_string(i));
    if (!key.ok()) return fail(key.error());
    list.push_back(crypto::public_key_json(key->public_key()));
    attest::Statement st;
    st.predicate_type = attest::kSlsaProvenanceV1;
    for (int j = 0; j < artifacts; ++j)
      st.subjects.push_back(
          {"artifact-" + std::to_string(j) + ".tar.zst", crypto::sha256_hex(std::to_string(j))});
    st.predicate =
        Json{{"runDetails",
              Json{{"builder", Json{{"id", attest::builder_id_for_keyid(key->public_key().keyid)}}}}}};
    auto env = attest::sign_statement(st, *key);
    if (auto s = attest::save_dsse_envelope(dir / "att" / (std::to_string(i) + ".json"), env); !s.ok())
      return fail(s.error());
  }
  if (auto s = write_file_atomic(dir / "builders.json", pretty_json(list)); !s.ok()) return fail(s.error());
  return 0;
}

static int compare(const fs::path& dir, std::size_t k, int rounds) {
  double best = 1e9;
  bool pass = false;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    auto trusted = crypto::load_public_keys(dir / "builders.json");
    if (!trusted.ok()) return fail(trusted.error());
    auto inputs = attest::load_attestations({dir / "att"});
    if (!inputs.ok()) return fail(inputs.error());
    auto report = attest::compare_attestations(*inputs, *trusted, {k, true});
    if (!report.ok()) return fail(report.error());
    pass = report->pass;
    best = std::min(
        best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::printf("%.2f %s\n", best, pass ? "PASS" : "FAIL");
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "generate")
    return generate(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
  if (argc == 5 && std::string(argv[1]) == "compare")
    return compare(argv[2], static_cast<std::size_t>(std::atoll(argv[3])), std::atoi(argv[4]));
  std::fprintf(stderr, "usage: bench_attest generate DIR N M | compare DIR K ROUNDS\n");
  return 2;
}
