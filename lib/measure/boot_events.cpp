#include "measure/boot_events.hpp"

#include "crypto/hash.hpp"

namespace cocoon::measure {
namespace {

Bytes sha384_text(std::string_view s) {
  return crypto::sha384(as_bytes(s));
}

// Decodes UTF-8 strictly (no overlongs, no surrogates, <= U+10FFFF) and encodes UTF-16LE.
Result<Bytes> utf8_to_utf16le(std::string_view s) {
  Bytes out;
  out.reserve(s.size() * 2 + 2);
  auto put = [&out](std::uint32_t u) {
    out.push_back(static_cast<std::uint8_t>(u));
    out.push_back(static_cast<std::uint8_t>(u >> 8));
  };
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<std::uint8_t>(s[i]);
    std::uint32_t cp;
    size_t n;
    if (c < 0x80)
      cp = c, n = 1;
    else if ((c & 0xe0) == 0xc0)
      cp = c & 0x1f, n = 2;
    else if ((c & 0xf0) == 0xe0)
      cp = c & 0x0f, n = 3;
    else if ((c & 0xf8) == 0xf0)
      cp = c & 0x07, n = 4;
    else
      return make_error(Errc::invalid_input, "cmdline: invalid UTF-8 at byte " + std::to_string(i));
    if (i + n > s.size())
      return make_error(Errc::invalid_input, "cmdline: truncated UTF-8 at byte " + std::to_string(i));
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<std::uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80)
        return make_error(Errc::invalid_input, "cmdline: invalid UTF-8 at byte " + std::to_string(i));
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return make_error(Errc::invalid_input, "cmdline: invalid UTF-8 at byte " + std::to_string(i));
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
    i += n;
  }
  return out;
}

}  // namespace

const char* ovmf_layout_name(OvmfLayout layout) {
  return layout == OvmfLayout::ge_202411 ? "ovmf_ge_202411" : "ovmf_202302_to_202408";
}

Result<OvmfLayout> ovmf_layout_from_name(std::string_view name) {
  if (name == "ovmf_ge_202411" || name == "ge_202411") return OvmfLayout::ge_202411;
  if (name == "ovmf_202302_to_202408" || name == "202302_to_202408") return OvmfLayout::from_202302_to_202408;
  return make_error(Errc::invalid_input,
                    "OVMF layout '" + std::string(name) + "' is not ovmf_ge_202411 or ovmf_202302_to_202408");
}

const char* qemu_class_name(QemuClass c) {
  return c == QemuClass::le_10_1_patched ? "qemu_le_10_1_patched_header" : "qemu_ge_10_2_unpatched_header";
}

std::vector<Event> rtmr1_events(ByteView kernel_authenticode_sha384, OvmfLayout layout) {
  std::vector<Event> ev;
  append_event(ev, RegisterId::rtmr1, kEvEfiBootServicesApplication, "kernel (Authenticode SHA-384)",
               Bytes(kernel_authenticode_sha384.begin(), kernel_authenticode_sha384.end()));
  const char* calling = "Calling EFI Application from Boot Option";
  append_event(ev, RegisterId::rtmr1, kEvEfiAction, calling, sha384_text(calling));
  if (layout == OvmfLayout::ge_202411) {
    const std::uint8_t zero[4] = {0, 0, 0, 0};
    append_event(ev, RegisterId::rtmr1, kEvSeparator, "separator 00000000",
                 crypto::sha384(ByteView(zero, 4)));
  }
  for (const char* action : {"Exit Boot Services Invocation", "Exit Boot Services Returned with Success"})
    append_event(ev, RegisterId::rtmr1, kEvEfiAction, action, sha384_text(action));
  return ev;
}

Result<std::string> cmdline_from_file(ByteView file) {
  std::string text(file.begin(), file.end());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return make_error(Errc::invalid_input, "cmdline: NUL byte at offset " + std::to_string(i));
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return make_error(Errc::invalid_input, "cmdline: control character at offset " + std::to_string(i));
  }
  COCOON_TRY(utf8_to_utf16le(text));
  return text;
}

Result<Bytes> load_options(std::string_view cmdline, bool has_initrd) {
  std::string text(cmdline);
  if (has_initrd) text += " initrd=initrd";
  COCOON_ASSIGN(Bytes out, utf8_to_utf16le(text));
  out.push_back(0);
  out.push_back(0);
  return out;
}

Result<std::vector<Event>> rtmr2_events(std::string_view cmdline, const std::optional<Bytes>& initrd_sha384) {
  COCOON_ASSIGN(Bytes opts, load_options(cmdline, initrd_sha384.has_value()));
  std::vector<Event> ev;
  append_event(ev, RegisterId::rtmr2, kEvEventTag, "LOADED_IMAGE::LoadOptions (UTF-16LE, NUL-terminated)",
               crypto::sha384(opts));
  if (initrd_sha384) append_event(ev, RegisterId::rtmr2, kEvEventTag, "Linux initrd", *initrd_sha384);
  return ev;
}

std::vector<Event> rtmr3_events(std::string_view spec_tree_hex, bool debug_image) {
  std::vector<Event> ev;
  std::string tree = "cocoon:spec.tree=" + std::string(spec_tree_hex);
  append_event(ev, RegisterId::rtmr3, kEvEventTag, tree, sha384_text(tree));
  append_event(ev, RegisterId::rtmr3, kEvEventTag, "cocoon:tdx_inited", sha384_text("cocoon:tdx_inited"));
  if (debug_image)
    append_event(ev, RegisterId::rtmr3, kEvEventTag, "cocoon:cocoon_debug",
                 sha384_text("cocoon:cocoon_debug"));
  return ev;
}

}  // namespace cocoon::measure
