#include "build_args.hpp"

#include "attest/from_build.hpp"

#include "common/signing_key.hpp"
#include "progress.hpp"

namespace cocoon::tools::build {

void add_build_options(CLI::App& cmd, BuildArgs& a) {
  cmd.add_option("--cache", a.cache, "Git cache directory (default: $XDG_CACHE_HOME/cocoon-release/git)");
  cmd.add_option("--source", a.source, "Fetch from this path or URL instead of source.url (same commit)");
  cmd.add_option("--work-root", a.work_root, "Where to create the temporary work tree (default: $TMPDIR)");
  cmd.add_flag("--keep-work", a.keep, "Keep the work tree after the build");
  cmd.add_option("--sign", a.sign, "Secret key file: also write OUT/attestation.dsse.json");
  cmd.add_option("--name", a.signer_name,
                 "Builder display name in the attestation (default: the key's name)");
  cmd.add_flag("-q,--quiet", a.quiet, "No progress lines");
}

Result<SignedBuild> build_with_optional_key(const cocoon::build::Recipe& recipe, const BuildArgs& a) {
  SignedBuild out;
  if (!a.sign.empty()) {
    COCOON_ASSIGN(crypto::SecretKey key, load_signing_key(a.sign));
    out.key = std::move(key);
  }
  cocoon::build::RunOptions opts;
  opts.out_dir = a.out;
  opts.cache_dir = a.cache;
  opts.work_root = a.work_root;
  opts.keep_work = a.keep;
  if (!a.source.empty()) opts.source_override = a.source;
  ProgressPrinter progress(recipe.name, a.quiet);
  opts.on_progress = [&](const cocoon::build::ProgressEvent& e) { progress(e); };
  if (out.key)
    opts.before_commit = [&](const cocoon::build::BuildResult& staged) -> Status {
      auto written = attest::write_build_attestation(staged, *out.key, a.signer_name);
      if (!written) return written.error();
      return Ok{};
    };
  COCOON_ASSIGN(out.result, cocoon::build::run_recipe(recipe, opts));
  if (out.key) out.attestation = (std::filesystem::path(a.out) / attest::kAttestationFileName).string();
  return out;
}

}  // namespace cocoon::tools::build
