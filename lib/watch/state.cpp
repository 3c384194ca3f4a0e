#include "watch/state.hpp"

#include <bit>

#include "core/time.hpp"

namespace cocoon::watch {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS position(id INTEGER PRIMARY KEY CHECK (id = 1), log_key TEXT NOT NULL,
  size INTEGER NOT NULL, root BLOB NOT NULL, subtrees BLOB NOT NULL, checkpoint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS candidates(log_index INTEGER PRIMARY KEY, entry_sha256 TEXT NOT NULL,
  product TEXT NOT NULL, version TEXT NOT NULL, recipe_sha256 TEXT NOT NULL, source_commit TEXT NOT NULL,
  signer TEXT NOT NULL, recipe BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS candidates_by_recipe ON candidates(recipe_sha256);
CREATE TABLE IF NOT EXISTS jobs(id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, log_index INTEGER NOT NULL, entry_sha256 TEXT NOT NULL, targets_version INTEGER NOT NULL,
  product TEXT NOT NULL, version TEXT NOT NULL, recipe_sha256 TEXT NOT NULL, source_commit TEXT NOT NULL,
  expected TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0, outcome TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
  created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, job_id INTEGER NOT NULL,
  kind TEXT NOT NULL, entry BLOB NOT NULL, submitted INTEGER NOT NULL DEFAULT 0, log_index INTEGER);
)sql";

constexpr const char* kJobColumns =
    "id, key, kind, log_index, entry_sha256, targets_version, product, version, recipe_sha256, "
    "source_commit, "
    "expected, state, attempts, not_before, outcome, detail, created, updated";

std::string now_text() {
  return format_rfc3339(now_unix());
}

Result<JobState> parse_state(const std::string& s) {
  for (JobState st : {JobState::queued, JobState::building, JobState::submitting, JobState::done,
                      JobState::waiting, JobState::error})
    if (s == job_state_name(st)) return st;
  return make_error(Errc::invalid_input, "watch.db: unknown job state '" + s + "'");
}

Result<Job> read_job(tlog::SqliteStmt& s) {
  Job j;
  j.id = s.column_int(0);
  j.key = s.column_text(1);
  j.kind = s.column_text(2) == "release" ? JobKind::release : JobKind::candidate;
  j.log_index = static_cast<std::uint64_t>(s.column_int(3));
  j.entry_sha256 = s.column_text(4);
  j.targets_version = static_cast<std::uint64_t>(s.column_int(5));
  j.product = s.column_text(6);
  j.version = s.column_text(7);
  j.recipe_sha256 = s.column_text(8);
  j.source_commit = s.column_text(9);
  COCOON_ASSIGN(Json expected, parse_json(s.column_text(10), "watch.db expected"));
  if (!expected.is_object()) return make_error(Errc::invalid_input, "watch.db: expected is not an object");
  for (const auto& [name, digest] : expected.items())
    if (digest.is_string()) j.expected[name] = digest.get<std::string>();
  COCOON_ASSIGN(j.state, parse_state(s.column_text(11)));
  j.attempts = static_cast<int>(s.column_int(12));
  j.not_before = s.column_int(13);
  j.outcome = s.column_text(14);
  j.detail = s.column_text(15);
  j.created = s.column_text(16);
  j.updated = s.column_text(17);
  return j;
}

Result<std::vector<Job>> read_jobs(tlog::SqliteStmt& s) {
  std::vector<Job> out;
  for (;;) {
    COCOON_ASSIGN(bool row, s.step());
    if (!row) break;
    COCOON_ASSIGN(Job j, read_job(s));
    out.push_back(std::move(j));
  }
  s.reset();
  return out;
}

StoredCandidate read_candidate(tlog::SqliteStmt& s) {
  StoredCandidate c;
  c.log_index = static_cast<std::uint64_t>(s.column_int(0));
  c.entry_sha256 = s.column_text(1);
  c.product = s.column_text(2);
  c.version = s.column_text(3);
  c.recipe_sha256 = s.column_text(4);
  c.source_commit = s.column_text(5);
  c.signer = s.column_text(6);
  c.recipe = s.column_blob(7);
  return c;
}

}  // namespace

const char* job_kind_name(JobKind kind) {
  return kind == JobKind::release ? "release" : "candidate";
}

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::queued:
      return "queued";
    case JobState::building:
      return "building";
    case JobState::submitting:
      return "submitting";
    case JobState::done:
      return "done";
    case JobState::waiting:
      return "waiting";
    case JobState::error:
      return "error";
  }
  return "error";
}

Result<WatchState> WatchState::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
  COCOON_ASSIGN(tlog::SqliteDb db, tlog::SqliteDb::open(dir / "watch.db"));
  // A job marked `building` must be on disk before the build starts, or a crash could lose it.
  COCOON_TRY(db.exec("PRAGMA synchronous=FULL"));
  COCOON_TRY(db.exec(kSchema));
  return WatchState(std::move(db));
}

Status WatchState::begin() {
  return db_.exec("BEGIN IMMEDIATE");
}
Status WatchState::commit() {
  return db_.exec("COMMIT");
}
void WatchState::rollback() {
  (void)db_.exec("ROLLBACK");
}

Result<std::optional<LogPosition>> WatchState::position() {
  COCOON_ASSIGN(auto s, db_.prepare("SELECT log_key, size, root, subtrees, checkpoint FROM position"));
  COCOON_ASSIGN(bool row, s.step());
  if (!row) return std::optional<LogPosition>{};
  LogPosition p;
  p.log_key = s.column_text(0);
  p.range.size = static_cast<std::uint64_t>(s.column_int(1));
  COCOON_ASSIGN(p.root, tlog::hash_from_bytes(s.column_blob(2)));
  Bytes subtrees = s.column_blob(3);
  if (subtrees.size() % 32 != 0 ||
      subtrees.size() / 32 != static_cast<std::size_t>(std::popcount(p.range.size)))
    return make_error(Errc::invalid_input, "watch.db: the stored log position is damaged");
  for (std::size_t i = 0; i < subtrees.size(); i += 32) {
    COCOON_ASSIGN(tlog::Hash h, tlog::hash_from_bytes(ByteView(subtrees.data() + i, 32)));
    p.range.subtrees.push_back(h);
  }
  tlog::MerkleHasher hasher;
  if (p.range.root(hasher) != p.root)
    return make_error(Errc::invalid_input, "watch.db: the stored log position does not hash to its root");
  p.checkpoint = s.column_text(4);
  return std::optional<LogPosition>(std::move(p));
}

Status WatchState::set_position(const LogPosition& p) {
  Bytes subtrees;
  for (const auto& h : p.range.subtrees) subtrees.insert(subtrees.end(), h.begin(), h.end());
  COCOON_ASSIGN(auto s, db_.prepare("INSERT INTO position(id, log_key, size, root, subtrees, checkpoint) "
                                    "VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                                    "log_key = excluded.log_key, size = excluded.size, root = excluded.root, "
                                    "subtrees = excluded.subtrees, checkpoint = excluded.checkpoint"));
  COCOON_TRY(s.bind(1, std::string_view(p.log_key)));
  COCOON_TRY(s.bind(2, static_cast<std::int64_t>(p.range.size)));
  COCOON_TRY(s.bind(3, ByteView(p.root.data(), p.root.size())));
  COCOON_TRY(s.bind(4, ByteView(subtrees)));
  COCOON_TRY(s.bind(5, std::string_view(p.checkpoint)));
  return s.run();
}

Result<bool> WatchState::add_job(const Job& j) {
  COCOON_ASSIGN(
      auto s, db_.prepare("INSERT OR IGNORE INTO jobs(key, kind, log_index, entry_sha256, targets_version, "
                          "product, version, recipe_sha256, source_commit, expected, state, detail, created, "
                          "updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  Json expected = Json::object();
  for (const auto& [name, digest] : j.expected) expected[name] = digest;
  std::string now = now_text();
  COCOON_TRY(s.bind(1, std::string_view(j.key)));
  COCOON_TRY(s.bind(2, std::string_view(job_kind_name(j.kind))));
  COCOON_TRY(s.bind(3, static_cast<std::int64_t>(j.log_index)));
  COCOON_TRY(s.bind(4, std::string_view(j.entry_sha256)));
  COCOON_TRY(s.bind(5, static_cast<std::int64_t>(j.targets_version)));
  COCOON_TRY(s.bind(6, std::string_view(j.product)));
  COCOON_TRY(s.bind(7, std::string_view(j.version)));
  COCOON_TRY(s.bind(8, std::string_view(j.recipe_sha256)));
  COCOON_TRY(s.bind(9, std::string_view(j.source_commit)));
  std::string expected_text = expected.dump();
  COCOON_TRY(s.bind(10, std::string_view(expected_text)));
  COCOON_TRY(s.bind(11, std::string_view(job_state_name(j.state))));
  COCOON_TRY(s.bind(12, std::string_view(j.detail)));
  COCOON_TRY(s.bind(13, std::string_view(now)));
  COCOON_TRY(s.bind(14, std::string_view(now)));
  COCOON_TRY(s.run());
  return sqlite3_changes(db_.handle()) > 0;
}

Status WatchState::add_candidate(const StoredCandidate& c) {
  COCOON_ASSIGN(auto s, db_.prepare("INSERT OR IGNORE INTO candidates(log_index, entry_sha256, product, "
                                    "version, recipe_sha256, source_commit, signer, recipe) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  COCOON_TRY(s.bind(1, static_cast<std::int64_t>(c.log_index)));
  COCOON_TRY(s.bind(2, std::string_view(c.entry_sha256)));
  COCOON_TRY(s.bind(3, std::string_view(c.product)));
  COCOON_TRY(s.bind(4, std::string_view(c.version)));
  COCOON_TRY(s.bind(5, std::string_view(c.recipe_sha256)));
  COCOON_TRY(s.bind(6, std::string_view(c.source_commit)));
  COCOON_TRY(s.bind(7, std::string_view(c.signer)));
  COCOON_TRY(s.bind(8, ByteView(c.recipe)));
  return s.run();
}

Result<std::optional<StoredCandidate>> WatchState::candidate_by_recipe(const std::string& recipe_sha256) {
  COCOON_ASSIGN(auto s, db_.prepare("SELECT log_index, entry_sha256, product, version, recipe_sha256, "
                                    "source_commit, signer, recipe FROM candidates WHERE recipe_sha256 = ? "
                                    "ORDER BY log_index LIMIT 1"));
  COCOON_TRY(s.bind(1, std::string_view(recipe_sha256)));
  COCOON_ASSIGN(bool row, s.step());
  if (!row) return std::optional<StoredCandidate>{};
  return std::optional<StoredCandidate>(read_candidate(s));
}

Result<std::optional<StoredCandidate>> WatchState::candidate_at(std::uint64_t log_index) {
  COCOON_ASSIGN(auto s, db_.prepare("SELECT log_index, entry_sha256, product, version, recipe_sha256, "
                                    "source_commit, signer, recipe FROM candidates WHERE log_index = ?"));
  COCOON_TRY(s.bind(1, static_cast<std::int64_t>(log_index)));
  COCOON_ASSIGN(bool row, s.step());
  if (!row) return std::optional<StoredCandidate>{};
  return std::optional<StoredCandidate>(read_candidate(s));
}

Result<std::vector<Job>> WatchState::jobs() {
  COCOON_ASSIGN(auto s, db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs ORDER BY id"));
  return read_jobs(s);
}

Result<std::optional<Job>> WatchState::job(std::int64_t id) {
  COCOON_ASSIGN(auto s, db_.prepare(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?"));
  COCOON_TRY(s.bind(1, id));
  COCOON_ASSIGN(auto rows, read_jobs(s));
  if (rows.empty()) return std::optional<Job>{};
  return std::optional<Job>(std::move(rows.front()));
}

Result<std::optional<Job>> WatchState::next_runnable(std::int64_t now) {
  COCOON_ASSIGN(auto s,
                db_.prepare(std::string("SELECT ") + kJobColumns +
                            " FROM jobs WHERE state = 'queued' AND not_before <= ? ORDER BY id LIMIT 1"));
  COCOON_TRY(s.bind(1, now));
  COCOON_ASSIGN(auto rows, read_jobs(s));
  if (rows.empty()) return std::optional<Job>{};
  return std::optional<Job>(std::move(rows.front()));
}

Status WatchState::set_job_state(std::int64_t id, JobState state, const std::string& detail,
                                 std::int64_t not_before) {
  COCOON_ASSIGN(
      auto s, db_.prepare("UPDATE jobs SET state = ?, detail = ?, not_before = ?, updated = ? WHERE id = ?"));
  std::string now = now_text();
  COCOON_TRY(s.bind(1, std::string_view(job_state_name(state))));
  COCOON_TRY(s.bind(2, std::string_view(detail)));
  COCOON_TRY(s.bind(3, not_before));
  COCOON_TRY(s.bind(4, std::string_view(now)));
  COCOON_TRY(s.bind(5, id));
  return s.run();
}

Status WatchState::start_job(std::int64_t id) {
  COCOON_ASSIGN(auto s,
                db_.prepare("UPDATE jobs SET state = 'building', attempts = attempts + 1, detail = '', "
                            "updated = ? WHERE id = ? AND state = 'queued'"));
  std::string now = now_text();
  COCOON_TRY(s.bind(1, std::string_view(now)));
  COCOON_TRY(s.bind(2, id));
  COCOON_TRY(s.run());
  if (sqlite3_changes(db_.handle()) != 1)
    return make_error(Errc::internal, "job " + std::to_string(id) + " is not queued");
  return Ok{};
}

Status WatchState::finish_job(std::int64_t id, const std::string& outcome, const std::string& detail,
                              const std::vector<OutboxEntry>& entries) {
  COCOON_TRY(begin());
  auto work = [&]() -> Status {
    COCOON_ASSIGN(auto s, db_.prepare("UPDATE jobs SET state = ?, outcome = ?, detail = ?, updated = ? "
                                      "WHERE id = ?"));
    std::string now = now_text();
    COCOON_TRY(
        s.bind(1, std::string_view(job_state_name(entries.empty() ? JobState::done : JobState::submitting))));
    COCOON_TRY(s.bind(2, std::string_view(outcome)));
    COCOON_TRY(s.bind(3, std::string_view(detail)));
    COCOON_TRY(s.bind(4, std::string_view(now)));
    COCOON_TRY(s.bind(5, id));
    COCOON_TRY(s.run());
    COCOON_ASSIGN(auto ins, db_.prepare("INSERT INTO outbox(job_id, kind, entry) VALUES (?, ?, ?)"));
    for (const auto& e : entries) {
      COCOON_TRY(ins.bind(1, id));
      COCOON_TRY(ins.bind(2, std::string_view(e.kind)));
      COCOON_TRY(ins.bind(3, ByteView(e.entry)));
      COCOON_TRY(ins.run());
    }
    return commit();
  };
  Status st = work();
  if (!st.ok()) rollback();
  return st;
}

Result<int> WatchState::requeue_interrupted() {
  COCOON_TRY(
      db_.exec("UPDATE jobs SET state = 'queued', detail = 'interrupted, built again' "
               "WHERE state = 'building'"));
  return sqlite3_changes(db_.handle());
}

Status WatchState::wake_waiting(const std::string& recipe_sha256) {
  COCOON_ASSIGN(auto s, db_.prepare("UPDATE jobs SET state = 'queued', detail = '' "
                                    "WHERE state = 'waiting' AND recipe_sha256 = ?"));
  COCOON_TRY(s.bind(1, std::string_view(recipe_sha256)));
  return s.run();
}

Status WatchState::mark_verified(const std::string& key, const std::string& outcome) {
  COCOON_ASSIGN(auto s, db_.prepare("UPDATE jobs SET state = 'done', outcome = ?, "
                                    "detail = 'our verdict is in the log already', updated = ? "
                                    "WHERE key = ? AND state IN ('queued', 'waiting')"));
  std::string now = now_text();
  COCOON_TRY(s.bind(1, std::string_view(outcome)));
  COCOON_TRY(s.bind(2, std::string_view(now)));
  COCOON_TRY(s.bind(3, std::string_view(key)));
  return s.run();
}

Result<std::vector<OutboxEntry>> WatchState::outbox() {
  COCOON_ASSIGN(auto s,
                db_.prepare("SELECT id, job_id, kind, entry FROM outbox WHERE submitted = 0 ORDER BY id"));
  std::vector<OutboxEntry> out;
  for (;;) {
    COCOON_ASSIGN(bool row, s.step());
    if (!row) break;
    out.push_back({s.column_int(0), s.column_int(1), s.column_text(2), s.column_blob(3)});
  }
  return out;
}

Status WatchState::mark_submitted(std::int64_t outbox_id, std::optional<std::uint64_t> log_index) {
  COCOON_TRY(begin());
  auto work = [&]() -> Status {
    COCOON_ASSIGN(auto s, db_.prepare("UPDATE outbox SET submitted = 1, log_index = ? WHERE id = ?"));
    if (log_index) COCOON_TRY(s.bind(1, static_cast<std::int64_t>(*log_index)));
    COCOON_TRY(s.bind(2, outbox_id));
    COCOON_TRY(s.run());
    COCOON_TRY(
        db_.exec("UPDATE jobs SET state = 'done' WHERE state = 'submitting' AND NOT EXISTS "
                 "(SELECT 1 FROM outbox WHERE outbox.job_id = jobs.id AND outbox.submitted = 0)"));
    return commit();
  };
  Status st = work();
  if (!st.ok()) rollback();
  return st;
}

Json job_json(const Job& j) {
  Json expected = Json::object();
  for (const auto& [name, digest] : j.expected) expected[name] = digest;
  return Json{{"id", j.id},
              {"kind", job_kind_name(j.kind)},
              {"log_index", j.log_index},
              {"entry_sha256", j.entry_sha256},
              {"targets_version", j.targets_version},
              {"product", j.product},
              {"version", j.version},
              {"recipe_sha256", j.recipe_sha256},
              {"source_commit", j.source_commit},
              {"expected", expected},
              {"state", job_state_name(j.state)},
              {"attempts", j.attempts},
              {"outcome", j.outcome},
              {"detail", j.detail},
              {"created", j.created},
              {"updated", j.updated}};
}

}  // namespace cocoon::watch
