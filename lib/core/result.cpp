#include "core/result.hpp"

namespace cocoon {

const char* errc_name(Errc c) {
  switch (c) {
    case Errc::invalid_input:
      return "invalid input";
    case Errc::io:
      return "i/o error";
    case Errc::not_found:
      return "not found";
    case Errc::crypto:
      return "crypto error";
    case Errc::signature:
      return "signature";
    case Errc::expired:
      return "expired";
    case Errc::rollback:
      return "rollback";
    case Errc::log_inconsistent:
      return "log";
    case Errc::builder_agreement:
      return "builder agreement";
    case Errc::label_mismatch:
      return "label mismatch";
    case Errc::hash_mismatch:
      return "hash mismatch";
    case Errc::mismatch:
      return "mismatch";
    case Errc::build_failed:
      return "build failed";
    case Errc::network:
      return "network";
    case Errc::unsupported:
      return "unsupported";
    case Errc::internal:
      return "internal error";
  }
  return "unknown";
}

}  // namespace cocoon
