#pragma once
// What `run` and `verify` share: the options that say where and how to build, and the build itself
// with an optional signing key loaded first (so the passphrase is asked before minutes of compiling).
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "build/run.hpp"
#include "crypto/key_file.hpp"

namespace cocoon::tools::build {

struct BuildArgs {
  std::string recipe, out, cache, source, work_root, sign, signer_name;
  bool json = false, quiet = false, keep = false;
};

// Registers --cache, --source, --work-root, --keep-work, --sign, --name and -q on `cmd`; each command
// adds its own positional recipe, --out and --json texts.
void add_build_options(CLI::App& cmd, BuildArgs& args);

struct SignedBuild {
  cocoon::build::BuildResult result;
  std::optional<crypto::SecretKey> key;  // set when --sign was given
  std::string attestation;               // OUT/attestation.dsse.json when --sign was given
};

// Loads the --sign key (if any), then runs the recipe with progress on stderr. The attestation is
// written before OUT is swapped in, so OUT never holds artifacts beside another build's attestation.
Result<SignedBuild> build_with_optional_key(const cocoon::build::Recipe& recipe, const BuildArgs& args);

}  // namespace cocoon::tools::build
