#pragma once
// Cocoon's image hash: SHA-256(MRTD || MRCONFIGID || MROWNER || MROWNERCONFIG || RTMR0..3 || 64 zero bytes),
// the value its TON root contract allow-lists. Example: the worked vector (MRTD 4c72..., RTMR0 0dbb...,
// RTMR1 d6d8..., RTMR2 5b96..., RTMR3 8bd9..., the other three zero) gives 1f0fd993...c90666.
#include <array>
#include <string>

#include "core/json.hpp"
#include "core/result.hpp"
#include "measure/register.hpp"

namespace cocoon::measure {

struct RegisterSet {
  Register mrtd{};
  Register mrconfigid{};
  Register mrowner{};
  Register mrownerconfig{};
  std::array<Register, 4> rtmr{};
};

std::string image_hash_hex(const RegisterSet& regs);
Json register_set_to_json(const RegisterSet& regs);

}  // namespace cocoon::measure
