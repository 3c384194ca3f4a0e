#include "tlog/witness.hpp"

#include <charconv>
#include <chrono>

#include "core/file_io.hpp"
#include "tlog/http_server.hpp"

namespace cocoon::tlog {

namespace {

WitnessAnswer refuse(int status, Errc code, std::string reason) {
  WitnessAnswer a;
  a.status = status;
  a.code = code;
  a.body = std::move(reason) + "\n";
  return a;
}

}  // namespace

Result<WitnessRequest> parse_witness_request(std::string_view body) {
  auto bad = [](const std::string& why) {
    return make_error(Errc::invalid_input, "malformed add-checkpoint request: " + why);
  };
  WitnessRequest r;
  std::size_t nl = body.find('\n');
  if (nl == std::string_view::npos || !body.starts_with("old "))
    return bad("first line must be 'old <size>'");
  std::string_view size = body.substr(4, nl - 4);
  auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), r.old_size);
  if (size.empty() || ec != std::errc() || ptr != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0') || size.find_first_not_of("0123456789") != std::string_view::npos)
    return bad("old size is not a decimal number");
  body.remove_prefix(nl + 1);
  for (;;) {
    nl = body.find('\n');
    if (nl == std::string_view::npos) return bad("no blank line before the checkpoint");
    std::string_view line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    if (line.empty()) break;
    auto h = hash_from_base64(line);
    if (!h.ok()) return bad("proof line is not a base64 hash");
    r.proof.push_back(*h);
    if (r.proof.size() > 63) return bad("proof longer than 63 hashes");
  }
  r.checkpoint = std::string(body);
  return r;
}

std::string format_witness_request(const WitnessRequest& r) {
  std::string out = "old " + std::to_string(r.old_size) + "\n";
  for (const auto& h : r.proof) out += hash_base64(h) + "\n";
  return out + "\n" + r.checkpoint;
}

Result<std::vector<NoteVerifier>> load_witness_logs(const std::filesystem::path& path) {
  COCOON_ASSIGN(std::string text, read_text_file(path, 1 << 20));
  std::vector<NoteVerifier> out;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    ++line_no;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto v = parse_verifier_key(line);
    if (!v.ok())
      return make_error(v.error().code,
                        path.string() + ":" + std::to_string(line_no) + ": " + v.error().message);
    if (v->alg != kAlgEd25519)
      return make_error(Errc::invalid_input,
                        path.string() + ":" + std::to_string(line_no) + ": not an Ed25519 log key");
    for (const auto& o : out)
      if (o.name == v->name)
        return make_error(Errc::invalid_input, path.string() + ": two keys for log " + v->name);
    out.push_back(*v);
  }
  if (out.empty()) return make_error(Errc::invalid_input, path.string() + " lists no log keys");
  return out;
}

Result<std::unique_ptr<Witness>> Witness::open(const std::filesystem::path& state, NoteSigner key,
                                               std::vector<NoteVerifier> logs) {
  COCOON_ASSIGN(SqliteDb db, SqliteDb::open(state));
  // A cosignature is a promise about what the witness saw: the state must be on disk before it is sent.
  COCOON_TRY(db.exec("PRAGMA synchronous=FULL"));
  COCOON_TRY(
      db.exec("CREATE TABLE IF NOT EXISTS witnessed(origin TEXT PRIMARY KEY, size INTEGER NOT NULL, "
              "root BLOB NOT NULL)"));
  return std::unique_ptr<Witness>(new Witness(std::move(db), std::move(key), std::move(logs)));
}

std::string Witness::cosignature_verifier_key() const {
  return format_verifier_key(make_verifier(key_.name, kAlgCosignatureV1, key_.pair.public_key));
}

WitnessAnswer Witness::add_checkpoint(std::string_view body, std::uint64_t now) {
  auto req = parse_witness_request(body);
  if (!req.ok()) return refuse(400, Errc::invalid_input, req.error().message);
  auto note = parse_note(req->checkpoint);
  if (!note.ok()) return refuse(400, Errc::invalid_input, note.error().message);
  auto origin_end = note->text.find('\n');
  std::string origin = note->text.substr(0, origin_end);
  const NoteVerifier* log_key = nullptr;
  for (const auto& v : logs_)
    if (v.name == origin) log_key = &v;
  if (!log_key) return refuse(404, Errc::not_found, "unknown log origin '" + origin + "'");
  auto cp = open_checkpoint(req->checkpoint, *log_key);
  if (!cp.ok()) {
    if (cp.error().code == Errc::signature) return refuse(403, Errc::signature, cp.error().message);
    return refuse(400, Errc::invalid_input, cp.error().message);
  }
  const Checkpoint& c = cp->checkpoint;
  if (req->old_size > c.size)
    return refuse(400, Errc::invalid_input,
                  "old size " + std::to_string(req->old_size) + " is larger than the checkpoint size " +
                      std::to_string(c.size));

  std::lock_guard guard(mu_);
  auto fail_io = [](const Error& e) { return refuse(500, e.code, e.message); };
  auto get = db_.prepare("SELECT size, root FROM witnessed WHERE origin = ?");
  if (!get.ok()) return fail_io(get.error());
  if (auto st = get->bind(1, std::string_view(origin)); !st.ok()) return fail_io(st.error());
  auto row = get->step();
  if (!row.ok()) return fail_io(row.error());
  std::uint64_t known_size = 0;
  Hash known_root = empty_tree_hash();
  if (*row) {
    known_size = static_cast<std::uint64_t>(get->column_int(0));
    auto h = hash_from_bytes(get->column_blob(1));
    if (!h.ok()) return fail_io(h.error());
    known_root = *h;
  }
  get->reset();
  if (req->old_size != known_size) {
    WitnessAnswer a = refuse(409, Errc::mismatch, "");
    a.content_type = "text/x.tlog.size";
    a.body = std::to_string(known_size) + "\n";
    return a;
  }
  auto consistent = check_consistency(req->proof, known_size, c.size, known_root, c.root);
  if (!consistent.ok())
    return refuse(422, Errc::log_inconsistent,
                  "consistency proof from size " + std::to_string(known_size) +
                      " refused: " + consistent.error().message);
  auto put = db_.prepare(
      "INSERT INTO witnessed(origin, size, root) VALUES (?, ?, ?) "
      "ON CONFLICT(origin) DO UPDATE SET size = excluded.size, root = excluded.root");
  if (!put.ok()) return fail_io(put.error());
  Status st = put->bind(1, std::string_view(origin));
  if (st.ok()) st = put->bind(2, static_cast<std::int64_t>(c.size));
  if (st.ok()) st = put->bind(3, ByteView(c.root.data(), 32));
  if (st.ok()) st = put->run();
  if (!st.ok()) return fail_io(st.error());

  NoteSignature sig = cosign_checkpoint(note->text, now, key_);
  WitnessAnswer a;
  a.status = 200;
  a.body = format_signature_line(sig);
  a.cosigned_note = req->checkpoint + a.body;
  return a;
}

HttpHandler make_witness_handler(Witness& witness) {
  return [&witness](const HttpRequest& req) -> HttpReply {
    if (req.target != "/add-checkpoint") return text_reply(404, "not found\n");
    if (req.method != "POST") return text_reply(405, "use POST /add-checkpoint\n");
    auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    WitnessAnswer a = witness.add_checkpoint(to_string(req.body), static_cast<std::uint64_t>(now.count()));
    return HttpReply{a.status, a.content_type, a.body, nullptr};
  };
}

}  // namespace cocoon::tlog
