#pragma once
// Helpers shared by the tlog tests.
#include <catch2/catch.hpp>

#include <string>

#include "core/file_io.hpp"
#include "tlog/note.hpp"

namespace cocoon::tlog::testing {

inline NoteSigner test_signer(const std::string& name = "example.org/test-log", std::uint8_t fill = 7) {
  Bytes seed(32, fill);
  auto pair = crypto::ed25519_from_seed(seed);
  REQUIRE(pair.ok());
  auto s = make_signer(name, *pair);
  REQUIRE(s.ok());
  return std::move(*s);
}

inline TempDir temp_dir() {
  auto d = TempDir::create("cocoon-tlog-test-");
  REQUIRE(d.ok());
  return std::move(*d);
}

inline Bytes entry(std::uint64_t i) {
  return to_bytes("entry-" + std::to_string(i));
}

}  // namespace cocoon::tlog::testing
