#include "measure/register.hpp"

#include <algorithm>

#include "crypto/hash.hpp"

namespace cocoon::measure {

const char* register_name(RegisterId id) {
  switch (id) {
    case RegisterId::mrtd:
      return "MRTD";
    case RegisterId::rtmr0:
      return "RTMR0";
    case RegisterId::rtmr1:
      return "RTMR1";
    case RegisterId::rtmr2:
      return "RTMR2";
    case RegisterId::rtmr3:
      return "RTMR3";
  }
  return "?";
}

std::uint32_t mr_index(RegisterId id) {
  return static_cast<std::uint32_t>(id);
}

Result<RegisterId> register_from_mr_index(std::uint32_t index) {
  if (index > 4) return make_error(Errc::invalid_input, "MR index " + std::to_string(index) + " is not 0..4");
  return static_cast<RegisterId>(index);
}

const char* event_type_name(std::uint32_t type) {
  switch (type) {
    case kEvNoAction:
      return "EV_NO_ACTION";
    case kEvSeparator:
      return "EV_SEPARATOR";
    case kEvAction:
      return "EV_ACTION";
    case kEvEventTag:
      return "EV_EVENT_TAG";
    case kEvEfiAction:
      return "EV_EFI_ACTION";
    case kEvEfiBootServicesApplication:
      return "EV_EFI_BOOT_SERVICES_APPLICATION";
    default:
      return "EV_OTHER";
  }
}

Register zero_register() {
  return Register{};
}

Register extend(const Register& r, ByteView digest48) {
  crypto::Hasher h(crypto::HashAlg::sha384);
  h.update(ByteView(r.data(), r.size()));
  h.update(digest48);
  return register_from_bytes(h.finish());
}

Register replay(const std::vector<Event>& events) {
  Register r = zero_register();
  for (const auto& e : events) r = extend(r, e.digest);
  return r;
}

void append_event(std::vector<Event>& events, RegisterId reg, std::uint32_t type, std::string description,
                  Bytes digest) {
  Event e;
  e.index = static_cast<std::uint32_t>(events.size());
  e.reg = reg;
  e.type = type;
  e.description = std::move(description);
  e.digest = std::move(digest);
  events.push_back(std::move(e));
}

std::string to_hex(const Register& r) {
  return hex_encode(ByteView(r.data(), r.size()));
}

Register register_from_bytes(ByteView b) {
  Register r{};
  std::copy_n(b.begin(), std::min(b.size(), r.size()), r.begin());
  return r;
}

Result<Register> register_from_hex(std::string_view hex, std::string_view what) {
  auto bytes = hex_decode(hex);
  if (!bytes.ok() || bytes->size() != kRegisterSize)
    return make_error(Errc::invalid_input, std::string(what) + " is not 96 hex digits");
  return register_from_bytes(*bytes);
}

Json event_to_json(const Event& e) {
  return Json{{"index", e.index},     {"register", register_name(e.reg)}, {"type", event_type_name(e.type)},
              {"type_value", e.type}, {"description", e.description},     {"digest", hex_encode(e.digest)}};
}

Result<Event> event_from_json(const Json& j) {
  if (!j.is_object()) return make_error(Errc::invalid_input, "event is not an object");
  Event e;
  try {
    e.index = j.at("index").get<std::uint32_t>();
    std::string reg = j.at("register").get<std::string>();
    bool found = false;
    for (auto id :
         {RegisterId::mrtd, RegisterId::rtmr0, RegisterId::rtmr1, RegisterId::rtmr2, RegisterId::rtmr3})
      if (reg == register_name(id)) e.reg = id, found = true;
    if (!found) return make_error(Errc::invalid_input, "event register '" + reg + "' is unknown");
    e.type = j.at("type_value").get<std::uint32_t>();
    e.description = j.at("description").get<std::string>();
    auto digest = hex_decode(j.at("digest").get<std::string>());
    if (!digest.ok() || digest->size() != kRegisterSize)
      return make_error(Errc::invalid_input, "event digest is not 96 hex digits");
    e.digest = std::move(*digest);
  } catch (const Json::exception& ex) {
    return make_error(Errc::invalid_input, std::string("event: ") + ex.what());
  }
  return e;
}

Json events_to_json(const std::vector<Event>& events) {
  Json out = Json::array();
  for (const auto& e : events) out.push_back(event_to_json(e));
  return out;
}

Result<std::vector<Event>> events_from_json(const Json& j) {
  if (!j.is_array()) return make_error(Errc::invalid_input, "events is not an array");
  std::vector<Event> out;
  for (const auto& item : j) {
    COCOON_ASSIGN(Event e, event_from_json(item));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace cocoon::measure
