#include "measure/eventlog.hpp"

#include <cstring>
#include <string>
#include <string_view>

#include "crypto/hash.hpp"
#include "measure/le.hpp"

namespace cocoon::measure {
namespace {

Error bad(const std::string& what) {
  return make_error(Errc::invalid_input, "event log: " + what);
}

constexpr size_t kMaxEvents = 100000;
constexpr std::uint32_t kMaxEventData = 16u << 20;

// Printable ASCII data is shown as text (action strings), anything else by size and a hex prefix.
std::string describe(std::uint32_t type, ByteView data) {
  std::string desc = event_type_name(type);
  bool text = !data.empty();
  size_t len = data.size();
  while (len > 0 && data[len - 1] == 0) --len;
  for (size_t i = 0; i < len && text; ++i) text = data[i] >= 0x20 && data[i] < 0x7f;
  if (text && len > 0) return desc + " " + std::string(data.begin(), data.begin() + static_cast<long>(len));
  desc += " (" + std::to_string(data.size()) + " bytes";
  if (!data.empty())
    desc += ": " + hex_encode(data.subspan(0, std::min<size_t>(data.size(), 16))) +
            (data.size() > 16 ? "..." : "");
  return desc + ")";
}

bool rest_is_padding(ByteView d, size_t off) {
  for (size_t i = off; i < d.size(); ++i)
    if (d[i] != 0xff && d[i] != 0x00) return false;
  return true;
}

// cocoon-init extends one short message per line (a few dozen lines). The caps leave room for far
// larger logs while keeping a hostile one cheap: at most kMaxEvents lines, as for CCEL, and lines of
// at most kMaxTextLine bytes. Lines are read in place and the log refused at the first bad one, so
// memory stays near the input's size plus one Event per line.
constexpr size_t kMaxTextLine = 64u << 10;

Result<EventLog> parse_plain_text(ByteView data) {
  EventLog log;
  log.plain_text_rtmr3 = true;
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() > kMaxTextLine)
      return bad("plain-text RTMR3 log line " + std::to_string(line_no) + " is longer than " +
                 std::to_string(kMaxTextLine) + " bytes");
    for (unsigned char c : line)
      if (c < 0x20 || c == 0x7f)
        return bad("plain-text RTMR3 log line " + std::to_string(line_no) + " has a control character");
    if (log.events.size() >= kMaxEvents) return bad("more than " + std::to_string(kMaxEvents) + " events");
    append_event(log.events, RegisterId::rtmr3, kEvEventTag, std::string(line),
                 crypto::sha384(as_bytes(line)));
  }
  return log;
}

}  // namespace

Result<EventLog> parse_event_log(ByteView d) {
  if (d.empty()) return bad("empty");
  // A CCEL log starts with the header event's MR index 0 and type EV_NO_ACTION; text starts printable.
  if (d.size() >= 8 && le::u32(d, 0) == 0 && le::u32(d, 4) == kEvNoAction) {
    // binary, handled below
  } else if (d[0] >= 0x20 && d[0] < 0x7f) {
    return parse_plain_text(d);
  } else {
    return bad("neither a CCEL (TCG2 crypto-agile) log nor a plain-text RTMR3 log");
  }
  // Header: MR index, type, SHA-1 digest (20), event size, TCG_EfiSpecIdEvent.
  if (d.size() < 32) return bad("truncated header event");
  std::uint32_t header_size = le::u32(d, 28);
  if (std::uint64_t{32} + header_size > d.size()) return bad("truncated header event");
  ByteView spec = d.subspan(32, header_size);
  if (spec.size() < 24 + 4 + 1 || std::memcmp(spec.data(), "Spec ID Event03\0", 16) != 0)
    return bad("no 'Spec ID Event03' header: not a crypto-agile log");
  std::uint32_t nalgs = le::u32(spec, 24);
  if (nalgs == 0 || nalgs > 16 || 28 + std::uint64_t{nalgs} * 4 + 1 > spec.size())
    return bad("header lists an invalid number of digest algorithms");
  std::vector<std::pair<std::uint16_t, std::uint16_t>> algs;
  bool has384 = false;
  for (std::uint32_t i = 0; i < nalgs; ++i) {
    std::uint16_t id = le::u16(spec, 28 + i * 4), size = le::u16(spec, 30 + i * 4);
    if (size == 0 || size > 64)
      return bad("header gives algorithm " + std::to_string(id) + " an invalid digest size");
    if (id == kTpmAlgSha384 && size != 48) return bad("header gives SHA-384 a digest size other than 48");
    has384 = has384 || id == kTpmAlgSha384;
    algs.emplace_back(id, size);
  }
  if (!has384) return bad("log carries no SHA-384 digests");
  EventLog log;
  size_t off = 32 + header_size;
  while (off < d.size()) {
    if (rest_is_padding(d, off)) break;
    if (d.size() - off < 12) return bad("truncated event at offset " + std::to_string(off));
    std::uint32_t index = le::u32(d, off), type = le::u32(d, off + 4), count = le::u32(d, off + 8);
    size_t p = off + 12;
    if (count == 0 || count > 16)
      return bad("event at offset " + std::to_string(off) + " has " + std::to_string(count) + " digests");
    Bytes sha384;
    for (std::uint32_t i = 0; i < count; ++i) {
      if (d.size() - p < 2) return bad("truncated digest at offset " + std::to_string(p));
      std::uint16_t id = le::u16(d, p);
      size_t size = 0;
      for (const auto& a : algs)
        if (a.first == id) size = a.second;
      if (size == 0)
        return bad("event at offset " + std::to_string(off) + " uses algorithm " + std::to_string(id) +
                   " not in the header");
      if (d.size() - p - 2 < size) return bad("truncated digest at offset " + std::to_string(p));
      if (id == kTpmAlgSha384)
        sha384.assign(d.begin() + static_cast<long>(p + 2), d.begin() + static_cast<long>(p + 2 + size));
      p += 2 + size;
    }
    if (d.size() - p < 4) return bad("truncated event size at offset " + std::to_string(p));
    std::uint32_t data_size = le::u32(d, p);
    p += 4;
    if (data_size > kMaxEventData || d.size() - p < data_size)
      return bad("truncated event data at offset " + std::to_string(p));
    ByteView data = d.subspan(p, data_size);
    off = p + data_size;
    if (type == kEvNoAction) continue;
    if (index == 0) return bad("event at offset " + std::to_string(p) + " claims to extend MRTD");
    auto reg = register_from_mr_index(index);
    if (!reg.ok()) return bad("event MR index " + std::to_string(index) + " is not 1..4");
    if (sha384.empty()) return bad("event at offset " + std::to_string(p) + " has no SHA-384 digest");
    if (log.events.size() >= kMaxEvents) return bad("more than " + std::to_string(kMaxEvents) + " events");
    append_event(log.events, *reg, type, describe(type, data), std::move(sha384));
  }
  return log;
}

std::array<std::vector<Event>, 4> events_by_rtmr(const std::vector<Event>& events) {
  std::array<std::vector<Event>, 4> out;
  for (const auto& e : events) {
    if (e.reg == RegisterId::mrtd) continue;
    auto& list = out[mr_index(e.reg) - 1];
    Event copy = e;
    copy.index = static_cast<std::uint32_t>(list.size());
    list.push_back(std::move(copy));
  }
  return out;
}

}  // namespace cocoon::measure
