#pragma once
// The one place where library error classes become process exit codes (docs/exit-codes.md).
#include <cstdio>
#include <string>

#include "core/escape.hpp"
#include "core/result.hpp"

namespace cocoon::tools {

enum ExitCode : int {
  kExitOk = 0,
  kExitNegative = 1,  // the command ran and its answer is "no": mismatch, dissent, REJECT by policy
  kExitInvalidInput = 2,
  kExitBuildFailed = 3,
  kExitSignature = 4,
  kExitExpired = 5,
  kExitRollback = 6,
  kExitLog = 7,
  kExitBuilderAgreement = 8,
  kExitHashMismatch = 9,
  kExitIo = 10,
  kExitNetwork = 11,
  kExitNotFound = 12,
  kExitCrypto = 13,
  kExitUnsupported = 14,
  kExitLabelMismatch = 15,
  kExitInternal = 70,
};

inline int exit_code_for(Errc c) {
  switch (c) {
    case Errc::invalid_input:
      return kExitInvalidInput;
    case Errc::io:
      return kExitIo;
    case Errc::not_found:
      return kExitNotFound;
    case Errc::crypto:
      return kExitCrypto;
    case Errc::signature:
      return kExitSignature;
    case Errc::expired:
      return kExitExpired;
    case Errc::rollback:
      return kExitRollback;
    case Errc::log_inconsistent:
      return kExitLog;
    case Errc::builder_agreement:
      return kExitBuilderAgreement;
    case Errc::label_mismatch:
      return kExitLabelMismatch;
    case Errc::hash_mismatch:
      return kExitHashMismatch;
    case Errc::mismatch:
      return kExitNegative;
    case Errc::build_failed:
      return kExitBuildFailed;
    case Errc::network:
      return kExitNetwork;
    case Errc::unsupported:
      return kExitUnsupported;
    case Errc::internal:
      return kExitInternal;
  }
  return kExitInternal;
}

// Prints "<tool>: error: <message>" on stderr and returns the exit code for the error's class.
// Messages quote names and bytes from mirrors, logs and files: escaped here, once for every tool, so
// no message can end its line early, forge another or reach the terminal's control sequences.
inline int report(const char* tool, const Error& e) {
  std::fprintf(stderr, "%s: error: %s\n", tool, printable(e.message).c_str());
  return exit_code_for(e.code);
}

}  // namespace cocoon::tools
