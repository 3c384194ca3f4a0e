#pragma once
// Turns one run of a recipe into an in-toto Statement with a SLSA provenance v1 predicate.
// Only this part of lib/attest depends on lib/build.
//
// Example predicate (abridged):
//   {"buildDefinition":{"buildType":"urn:cocoon-release:buildtype:recipe:v1",
//      "externalParameters":{"recipe":{"name":"sample-node","version":"0.1.0","digest":{"sha256":"..."}},
//                            "source":{"url":"https://...","commit":"<40 hex>"}},
//      "internalParameters":{"sourceDateEpoch":1700000000},
//      "resolvedDependencies":[{"uri":"git+<recipe source url>@<commit>","digest":{"gitCommit":"<40 hex>"}},
//                              {"name":"cmake","uri":"urn:cocoon-release:tool:cmake",
//                               "annotations":{"version":"cmake version 3.25.1"}}]},
//    "runDetails":{"builder":{"id":"urn:cocoon-release:builder:<keyid>","name":"alice"},
//      "metadata":{"invocationId":"<keyid>/<started>","startedOn":"...Z","finishedOn":"...Z"},
//      "byproducts":[{"name":"buildinfo.json","digest":{"sha256":"..."}}]}}
#include <filesystem>
#include <string>

#include "attest/dsse.hpp"
#include "attest/statement.hpp"
#include "build/build_result.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::attest {

Statement statement_from_build(const build::BuildResult& result, const crypto::PublicKey& builder,
                               const std::string& display_name);

// statement_from_build signed by `key`; display_name defaults to the key's name when empty.
DsseEnvelope attest_build(const build::BuildResult& result, const crypto::SecretKey& key,
                          const std::string& display_name = {});

// Where `run --sign` and `verify --sign` put the builder's attestation: OUT/attestation.dsse.json.
inline constexpr const char* kAttestationFileName = "attestation.dsse.json";

// Signs the result and writes the envelope atomically to result.out_dir / kAttestationFileName.
Result<std::filesystem::path> write_build_attestation(const build::BuildResult& result,
                                                      const crypto::SecretKey& key,
                                                      const std::string& display_name = {});

}  // namespace cocoon::attest
