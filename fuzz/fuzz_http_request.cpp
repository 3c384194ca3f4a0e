// The log server's and the witness's HTTP request head parser (bytes from any client). A head that is
// accepted yields a request line the handlers can trust: an upper-case method, an origin-form target
// without spaces or control bytes, lower-case header names without blanks.
#include "fuzz_common.hpp"
#include "tlog/http_server.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cocoon::tlog::HttpRequest req;
  auto refusal = cocoon::tlog::parse_request_head(cocoon::fuzz::text(data, size), req);
  if (refusal) {
    FUZZ_CHECK(refusal->status >= 400 && refusal->status < 600);
    return 0;
  }
  FUZZ_CHECK(!req.method.empty());
  for (char c : req.method) FUZZ_CHECK(c >= 'A' && c <= 'Z');
  FUZZ_CHECK(!req.target.empty() && req.target[0] == '/');
  for (char c : req.target) FUZZ_CHECK(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  for (const auto& [name, value] : req.headers) {
    FUZZ_CHECK(!name.empty());
    for (char c : name) FUZZ_CHECK(c != ' ' && c != '\t' && !(c >= 'A' && c <= 'Z'));
    FUZZ_CHECK(value.find("\r\n") == std::string::npos);
  }
  return 0;
}
