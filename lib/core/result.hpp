#pragma once
// Errors as values. Library code never throws across its API and never exits: it returns
// Result<T>, and each tool maps Errc to its documented exit code.
#include <string>
#include <utility>
#include <variant>

namespace cocoon {

// One code per class of failure a caller may want to treat differently. Tools map these to exit
// codes (docs/exit-codes.md); keep the list short and the classes distinct.
enum class Errc {
  invalid_input,      // malformed file, bad argument, schema violation
  io,                 // file system failure
  not_found,          // a named thing (commit, file, key, entry) does not exist
  crypto,             // bad key material, wrong passphrase, crypto library failure
  signature,          // a signature does not verify, or too few distinct keys signed
  expired,            // metadata past its expiry
  rollback,           // a version or tree size went backwards
  log_inconsistent,   // log proof, fork, witness quorum
  builder_agreement,  // too few builders reproduced an artifact
  label_mismatch,     // a release's product, version, recipe or commit differs from what builders attested
  hash_mismatch,      // bytes do not match their declared digest/length
  mismatch,           // two things compared and differ (check, verify, diff)
  build_failed,       // a recipe step failed
  network,            // HTTP/transport failure
  unsupported,        // valid input we deliberately do not handle
  internal,           // a bug or an unexpected library failure
};

const char* errc_name(Errc c);

struct Error {
  Errc code;
  std::string message;  // one line, names what is wrong
};

inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

// Holds either a value or an Error. Access the value only after checking ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}
  Result(Error error) : err_(std::move(error)), failed_(true) {}
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

 private:
  Error err_{Errc::internal, {}};
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace cocoon

// Propagates an error from an expression yielding Result<...>; used only inside functions that
// themselves return a Result.
#define COCOON_TRY(expr)                                   \
  do {                                                     \
    auto&& cocoon_try_r_ = (expr);                         \
    if (!cocoon_try_r_.ok()) return cocoon_try_r_.error(); \
  } while (0)

#define COCOON_CONCAT_INNER(a, b) a##b
#define COCOON_CONCAT(a, b) COCOON_CONCAT_INNER(a, b)
// COCOON_ASSIGN(auto x, f()) declares x from the value of f() or returns f()'s error.
#define COCOON_ASSIGN(decl, expr) COCOON_ASSIGN_IMPL(COCOON_CONCAT(cocoon_r_, __LINE__), decl, expr)
#define COCOON_ASSIGN_IMPL(tmp, decl, expr)     \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
