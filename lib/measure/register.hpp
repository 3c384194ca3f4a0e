#pragma once
// TDX measurement registers and the events extended into them.
//
// A register is 48 bytes (SHA-384 sized). Every RTMR starts at zero and changes only by
// extend(r, d) = SHA-384(r || d) with d a 48-byte digest. Example: the RTMR3 of a Cocoon worker is
// extend(extend(0^48, SHA-384("cocoon:spec.tree=<hex>")), SHA-384("cocoon:tdx_inited")).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "core/json.hpp"
#include "core/result.hpp"

namespace cocoon::measure {

constexpr size_t kRegisterSize = 48;
using Register = std::array<std::uint8_t, kRegisterSize>;

// Which measurement register an event goes into. MRTD is built by the TDX module from page adds;
// RTMR0..3 by guest extends. The CC event log numbers them MR index 0..4.
enum class RegisterId { mrtd, rtmr0, rtmr1, rtmr2, rtmr3 };
const char* register_name(RegisterId id);                           // "MRTD", "RTMR0", ...
Result<RegisterId> register_from_mr_index(std::uint32_t mr_index);  // CCEL: 1..4 -> RTMR0..3
std::uint32_t mr_index(RegisterId id);

// TCG event types used by the events we predict.
enum EventType : std::uint32_t {
  kEvNoAction = 0x3,
  kEvSeparator = 0x4,
  kEvAction = 0x5,
  kEvEventTag = 0x6,
  kEvEfiAction = 0x80000007,
  kEvEfiBootServicesApplication = 0x80000003,
};
const char* event_type_name(std::uint32_t type);

// One measured event: what was hashed (description) and the 48-byte digest extended.
// Example: {index 1, RTMR1, EV_EFI_ACTION, "Calling EFI Application from Boot Option", SHA-384 of it}.
struct Event {
  std::uint32_t index = 0;  // position within its register's list, from 0
  RegisterId reg = RegisterId::rtmr0;
  std::uint32_t type = 0;
  std::string description;
  Bytes digest;  // 48 bytes
};

Register zero_register();
Register extend(const Register& r, ByteView digest48);
// Replays events in order from zero.
Register replay(const std::vector<Event>& events);
// Appends an event with the next index.
void append_event(std::vector<Event>& events, RegisterId reg, std::uint32_t type, std::string description,
                  Bytes digest);

std::string to_hex(const Register& r);
Result<Register> register_from_hex(std::string_view hex, std::string_view what);
Register register_from_bytes(ByteView b);  // b must be 48 bytes

Json event_to_json(const Event& e);
Result<Event> event_from_json(const Json& j);
Json events_to_json(const std::vector<Event>& events);
Result<std::vector<Event>> events_from_json(const Json& j);

}  // namespace cocoon::measure
