#include "tlog/monitor.hpp"

#include <bit>

#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"
#include "crypto/hash.hpp"

namespace cocoon::tlog {

void CompactRange::append(const Hash& leaf, MerkleHasher& hasher) {
  // Adding a leaf carries like binary addition: every trailing 1 bit of size merges two subtrees.
  Hash carry = leaf;
  for (std::uint64_t s = size; s & 1; s >>= 1) {
    carry = hasher.node(subtrees.back(), carry);
    subtrees.pop_back();
  }
  subtrees.push_back(carry);
  ++size;
}

Hash CompactRange::root(MerkleHasher& hasher) const {
  if (subtrees.empty()) return empty_tree_hash();
  Hash acc = subtrees.back();
  for (std::size_t i = subtrees.size() - 1; i-- > 0;) acc = hasher.node(subtrees[i], acc);
  return acc;
}

Result<MonitorState> load_monitor_state(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 20));
  COCOON_ASSIGN(Json j, parse_json(text, path.string()));
  auto bad = [&](const std::string& why) {
    return make_error(Errc::invalid_input, path.string() + ": " + why);
  };
  if (!j.is_object() || !j.contains("log_key") || !j["log_key"].is_string() || !j.contains("size") ||
      !j["size"].is_number_unsigned() || !j.contains("root") || !j["root"].is_string() ||
      !j.contains("subtrees") || !j["subtrees"].is_array())
    return bad("expected log_key, size, root and subtrees");
  MonitorState s;
  s.log_key = j["log_key"].get<std::string>();
  s.range.size = j["size"].get<std::uint64_t>();
  auto root = hash_from_base64(j["root"].get<std::string>());
  if (!root.ok()) return bad("root is not a base64 hash");
  s.root = *root;
  for (const auto& h : j["subtrees"]) {
    if (!h.is_string()) return bad("subtrees must be base64 hashes");
    auto v = hash_from_base64(h.get<std::string>());
    if (!v.ok()) return bad("subtrees must be base64 hashes");
    s.range.subtrees.push_back(*v);
  }
  if (s.range.subtrees.size() != static_cast<std::size_t>(std::popcount(s.range.size)))
    return bad("subtree count does not match the size");
  MerkleHasher hasher;
  if (s.range.root(hasher) != s.root) return bad("subtrees do not hash to the root");
  return s;
}

Status save_monitor_state(const std::filesystem::path& path, const MonitorState& s) {
  Json subtrees = Json::array();
  for (const auto& h : s.range.subtrees) subtrees.push_back(hash_base64(h));
  Json j = {
      {"log_key", s.log_key}, {"size", s.range.size}, {"root", hash_base64(s.root)}, {"subtrees", subtrees}};
  return write_file_atomic(path, pretty_json(j));
}

Result<MonitorUpdate> monitor_step(LogClient& client, const MonitorState* previous) {
  COCOON_ASSIGN(VerifiedCheckpoint cp, client.checkpoint());
  const Checkpoint& c = cp.checkpoint;
  MonitorUpdate up;
  up.checkpoint = format_note(cp.note);
  up.next.log_key = format_verifier_key(client.log_key());
  if (previous) {
    up.next.range = previous->range;
    up.old_size = previous->range.size;
    if (c.size < up.old_size)
      return make_error(Errc::rollback, "log shrank from size " + std::to_string(up.old_size) + " to " +
                                            std::to_string(c.size));
    if (up.old_size > 0) {
      COCOON_ASSIGN(Proof proof, client.consistency_proof(up.old_size, c.size));
      COCOON_TRY(check_consistency(proof, up.old_size, c.size, previous->root, c.root));
    }
  }
  up.first_index = up.old_size;
  MerkleHasher hasher;
  constexpr std::uint64_t kChunk = 4096;
  for (std::uint64_t begin = up.old_size; begin < c.size; begin += kChunk) {
    std::uint64_t end = std::min(c.size, begin + kChunk);
    COCOON_ASSIGN(auto chunk, client.entries(begin, end, c.size));
    for (auto& e : chunk) {
      up.next.range.append(hasher.leaf(e), hasher);
      up.entries.push_back(std::move(e));
    }
  }
  Hash root = up.next.range.root(hasher);
  if (root != c.root)
    return make_error(
        Errc::log_inconsistent,
        "the entries of " + c.origin + " do not hash to its signed root at size " + std::to_string(c.size));
  up.next.root = root;
  return up;
}

namespace {

std::string raw_string(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string{};
}

// Anyone may add an entry: what it says is shown escaped (see printable()), so that it cannot forge
// the monitor's next line or hide text with terminal controls.
std::string opt_string(const Json& j, const char* key) {
  return printable(raw_string(j, key), 200);
}

std::string describe_statement(const Json& st) {
  std::string subject;
  if (st.contains("subject") && st["subject"].is_array() && !st["subject"].empty())
    subject = opt_string(st["subject"][0], "name");
  return "attestation " + (subject.empty() ? std::string("(no subject)") : subject) + " " +
         opt_string(st, "predicateType");
}

}  // namespace

std::string describe_entry(ByteView entry, const EntryDescriber& extra) {
  if (extra)
    if (auto described = extra(entry)) return *described;
  auto j = parse_json(to_string(entry));
  if (j.ok() && j->is_object()) {
    const Json& d = *j;
    if (d.contains("signed") && d["signed"].is_object() && d["signed"].contains("_type")) {
      const Json& s = d["signed"];
      std::string out = "tuf " + opt_string(s, "_type");
      if (s.contains("version") && s["version"].is_number_integer())
        out += " version " + std::to_string(s["version"].get<long long>());
      return out;
    }
    if (raw_string(d, "_type").starts_with("https://in-toto.io/Statement")) return describe_statement(d);
    if (d.contains("payloadType") && d.contains("payload") && d["payload"].is_string()) {
      auto payload = base64_decode(d["payload"].get<std::string>());
      if (payload.ok()) {
        auto inner = parse_json(to_string(*payload));
        if (inner.ok() && raw_string(*inner, "_type").starts_with("https://in-toto.io/Statement"))
          return describe_statement(*inner);
      }
      return "dsse " + opt_string(d, "payloadType");
    }
  }
  return "entry " + std::to_string(entry.size()) + " bytes sha256:" + crypto::sha256_hex(entry).substr(0, 16);
}

}  // namespace cocoon::tlog
