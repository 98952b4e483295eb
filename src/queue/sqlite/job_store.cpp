#include "queue/sqlite/job_store.hpp"

#include "queue/list_sql.hpp"

#include <variant>

namespace corral::sqlite {
namespace {

using core::from_unix_micros;
using queue::Cell;
using queue::job_columns;

// Every statement's columns and parameters come from queue::job_columns(), in its order: the
// parameter numbers below are counted, never written.

std::string select_jobs(std::string const& where) {
  static std::string const columns = queue::column_list("", queue::all_columns);
  return "SELECT " + columns + " FROM jobs " + where;
}

// "?first, ?first+1, ..." for the columns `pick` accepts; with `assign`, "name = ?first, ...".
template <class Pick>
std::string parameters(int first, Pick pick, bool assign) {
  return queue::join_columns(pick, [first, assign](queue::JobColumn const& c, int n) {
    return (assign ? std::string(c.name) + " = ?" : std::string("?")) + std::to_string(first + n);
  });
}

// Binds the columns `pick` accepts, counting parameters as parameters() does. Texts are bound in
// place (bind_static): each is the job's, which outlives the statement's run, a static string's,
// or one in `texts`, which the caller keeps until then. A null is not bound: every parameter is
// NULL here, as the statement's last run ended with Statement::reset(), which clears them (most of
// a new job's columns are null, and a bind is a call into SQLite each).
template <class Pick>
void bind_columns(Statement& st, int first, core::Job const& j, queue::JobTexts& texts, Pick pick) {
  int i = first;
  for (auto const& c : job_columns()) {
    if (!pick(c)) continue;
    Cell const cell = c.store(j, texts);
    switch (cell.kind) {
      case Cell::Kind::null: break;
      case Cell::Kind::integer: st.bind(i, cell.integer); break;
      case Cell::Kind::real: st.bind(i, cell.real); break;
      case Cell::Kind::boolean: st.bind(i, cell.boolean ? 1 : 0); break;
      case Cell::Kind::text: st.bind_static(i, cell.text); break;
    }
    ++i;
  }
}

Cell read_cell(Statement const& st, int col, Cell::Kind kind) {
  if (st.is_null(col)) return {};
  switch (kind) {
    case Cell::Kind::null: break;
    case Cell::Kind::integer: return {.kind = kind, .integer = st.int64(col)};
    case Cell::Kind::real: return {.kind = kind, .real = st.real(col)};
    case Cell::Kind::boolean: return {.kind = kind, .boolean = st.int64(col) != 0};
    case Cell::Kind::text: return {.kind = kind, .text = st.text_view(col)};
  }
  return {};
}

// A row selected by select_jobs().
core::Result<core::Job> read_job(Statement const& st) {
  core::Job j;
  int col = 0;
  for (auto const& c : job_columns()) {
    if (auto r = c.load(j, read_cell(st, col++, c.kind)); !r) return r.error();
  }
  return j;
}

std::optional<core::TimePoint> opt_time(Statement const& st, int col) {
  auto v = st.opt_int64(col);
  if (!v) return std::nullopt;
  return from_unix_micros(*v);
}

}  // namespace

JobStore::JobStore(Database& db)
    : db_(db),
      insert_(db.handle(), "INSERT INTO jobs (seq, " + queue::column_list("", queue::inserted) + ") VALUES (?1, " +
                               parameters(2, queue::inserted, false) + ")"),
      // One more than any seq given before, kept or deleted (migration 017's seq_floor).
      seq_after_last_(db.handle(), "SELECT max(coalesce((SELECT max(seq) FROM jobs), 0), last) + 1 FROM seq_floor"),
      update_(db.handle(), "UPDATE jobs SET " + parameters(2, queue::rewritten, true) + " WHERE seq = ?1"),
      delete_(db.handle(), "DELETE FROM jobs WHERE seq = ?1"),
      get_(db.handle(), select_jobs("WHERE id = ?1")),
      get_by_seq_(db.handle(), select_jobs("WHERE seq = ?1")),
      get_by_key_(db.handle(), select_jobs("WHERE idempotency_key = ?1 AND coalesce(owner, '') = ?2")),
      set_paused_(db.handle(),
                  "INSERT INTO queues (name, paused) VALUES (?1, ?2) "
                  "ON CONFLICT (name) DO UPDATE SET paused = excluded.paused"),
      // Served by jobs_by_status (status, seq): no index of its own, so no cost on each write.
      oldest_in_(db.handle(),
                 "SELECT seq, completed_at, queue FROM jobs WHERE status = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"),
      // Served by jobs_ended_by_queue, whose condition (completed_at IS NOT NULL) the comparison
      // on completed_at implies.
      ended_before_(db.handle(),
                    "SELECT seq FROM jobs WHERE queue = ?1 AND status = ?2 AND completed_at < ?3 "
                    "ORDER BY completed_at LIMIT ?4"),
      event_seq_set_(db.handle(), "UPDATE event_seq SET last = ?1 WHERE id = 1") {}

core::Result<std::int64_t> JobStore::job_insert(core::Job const& job) {
  if (next_seq_ == 0) {
    auto row = seq_after_last_.step();
    if (!row) return row.error();
    auto const next = *row ? seq_after_last_.int64(0) : 0;
    seq_after_last_.reset();
    if (next == 0) return core::make_error(core::Errc::internal, "the jobs' seq_floor row is missing");
    next_seq_ = next;
  }
  insert_.bind(1, next_seq_);
  bind_columns(insert_, 2, job, texts_, queue::inserted);
  if (auto r = insert_.run(); !r) return r.error();
  return next_seq_++;
}

core::Result<void> JobStore::job_update(core::Job const& j) {
  update_.bind(1, j.seq);
  bind_columns(update_, 2, j, texts_, queue::rewritten);
  return update_.run();
}

core::Result<void> JobStore::job_delete(std::int64_t seq) {
  delete_.bind(1, seq);
  return delete_.run();
}

core::Result<std::optional<core::Job>> JobStore::one_job(Statement& st) {
  auto row = st.step();
  if (!row) return row.error();
  std::optional<core::Job> out;
  if (*row) {
    auto job = read_job(st);
    if (!job) {
      st.reset();
      return job.error();
    }
    out = std::move(*job);
  }
  st.reset();
  return out;
}

core::Result<std::optional<core::Job>> JobStore::job_get(std::string const& id) {
  get_.bind(1, id);
  return one_job(get_);
}

core::Result<std::optional<core::Job>> JobStore::job_get_by_seq(std::int64_t seq) {
  get_by_seq_.bind(1, seq);
  return one_job(get_by_seq_);
}

core::Result<std::optional<core::Job>> JobStore::job_get_by_key(core::IdempotencyKey const& key) {
  get_by_key_.bind(1, key.key);
  get_by_key_.bind(2, key.owner);
  return one_job(get_by_key_);
}

namespace {

void bind_all(Statement& st, std::vector<queue::SqlValue> const& params, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    int const at = static_cast<int>(i) + 1;
    std::visit([&st, at](auto const& v) { st.bind(at, v); }, params[i]);
  }
}

}  // namespace

core::Result<std::vector<core::Job>> JobStore::job_list(queue::ListQuery const& q) {
  auto const sql = queue::list_sql(q, queue::SqlDialect::sqlite);
  Statement st = db_.prepare(queue::list_select(q, sql, "jobs", q.limit));
  bind_all(st, sql.params, sql.params.size());
  std::vector<core::Job> jobs;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) break;
    auto job = read_job(st);
    if (!job) return job.error();
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

core::Result<std::int64_t> JobStore::job_count(queue::ListQuery const& q) {
  auto const sql = queue::list_sql(q, queue::SqlDialect::sqlite);
  Statement st = db_.prepare(queue::count_sql(sql, "jobs"));
  bind_all(st, sql.params, sql.count_params);
  auto row = st.step();
  if (!row) return row.error();
  return st.int64(0);
}

core::Result<void> JobStore::job_each_active(std::function<void(ActiveJob const&)> const& fn) {
  Statement st = db_.prepare(
      "SELECT seq, queue, priority, status, run_at, lease_expires_at, type, concurrency_key, start_by, started_at "
      "FROM jobs WHERE status IN ('queued', 'scheduled', 'running', 'retrying', 'waiting')");
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return {};
    auto status = core::parse_job_state(st.text(3));
    if (!status) return core::make_error(core::Errc::internal, "a job has an unknown status");
    fn(ActiveJob{st.int64(0), st.text(1), static_cast<int>(st.int64(2)), *status,
                 from_unix_micros(st.int64(4)), opt_time(st, 5), st.text(6), st.opt_text(7), opt_time(st, 8),
                 opt_time(st, 9)});
  }
}

namespace {

// The rows `st` (bound) gives, each made by read(st), up to the first that `keep` refuses; `st` is
// reset for its next use either way.
template <class Read, class Keep>
auto leading_rows(Statement& st, Read read, Keep keep) -> core::Result<std::vector<decltype(read(st))>> {
  std::vector<decltype(read(st))> out;
  for (;;) {
    auto row = st.step();
    if (!row) {
      st.reset();
      return row.error();
    }
    if (!*row) break;
    auto item = read(st);
    if (!keep(item)) break;
    out.push_back(std::move(item));
  }
  st.reset();
  return out;
}

}  // namespace

core::Result<std::vector<EndedJob>> JobStore::job_oldest_in(core::JobState status, std::int64_t after_seq,
                                                            int limit, std::optional<std::int64_t> ended_before) {
  oldest_in_.bind(1, core::to_string(status)).bind(2, after_seq).bind(3, limit);
  return leading_rows(
      oldest_in_, [](Statement& st) { return EndedJob{st.int64(0), st.opt_int64(1), st.text(2)}; },
      [&](EndedJob const& job) { return !ended_before || (job.ended && *job.ended < *ended_before); });
}

core::Result<std::vector<std::int64_t>> JobStore::job_ended_before(std::string const& queue, core::JobState status,
                                                                   std::int64_t ended_before, int limit) {
  ended_before_.bind(1, queue).bind(2, core::to_string(status)).bind(3, ended_before).bind(4, limit);
  return leading_rows(ended_before_, [](Statement& st) { return st.int64(0); }, [](std::int64_t) { return true; });
}

core::Result<void> JobStore::job_index_ended_by_queue(bool wanted) {
  // Partial on completed_at, which only ended jobs have. Not `WHERE status IN (...)`: SQLite then
  // builds a temporary table for that list at every UPDATE of a job, which more than doubled the
  // instructions of a drain.
  return db_.exec(wanted ? "CREATE INDEX IF NOT EXISTS jobs_ended_by_queue ON jobs (queue, status, completed_at) "
                           "WHERE completed_at IS NOT NULL"
                         : "DROP INDEX IF EXISTS jobs_ended_by_queue");
}

core::Result<std::map<queue::CountKey, queue::StateCounts>> JobStore::job_count_terminal() {
  Statement st = db_.prepare(
      "SELECT queue, type, priority, status, count(*) FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') "
      "GROUP BY queue, type, priority, status");
  std::map<queue::CountKey, queue::StateCounts> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    if (auto status = core::parse_job_state(st.text(3))) {
      out[queue::CountKey{st.text(0), st.text(1), static_cast<int>(st.int64(2))}][static_cast<std::size_t>(*status)] =
          st.int64(4);
    }
  }
}

core::Result<std::int64_t> JobStore::event_seq_last() {
  Statement st = db_.prepare("SELECT last FROM event_seq WHERE id = 1");
  auto row = st.step();
  if (!row) return row.error();
  return *row ? st.int64(0) : std::int64_t{0};
}

core::Result<void> JobStore::event_seq_set(std::int64_t last) {
  event_seq_set_.bind(1, last);
  return event_seq_set_.run();
}

core::Result<void> JobStore::queue_set_paused(std::string const& name, bool paused) {
  set_paused_.bind(1, name).bind(2, paused ? 1 : 0);
  return set_paused_.run();
}

core::Result<std::set<std::string>> JobStore::queue_paused_names() {
  Statement st = db_.prepare("SELECT name FROM queues WHERE paused = 1");
  std::set<std::string> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.insert(st.text(0));
  }
}

core::Result<void> JobStore::queue_set_limits(std::string const& name, core::ConcurrencyLimits const& limits) {
  // Rare (a PATCH, the config at start): prepared each time rather than kept.
  Statement st = db_.prepare(
      "INSERT INTO queues (name, paused, max_running, max_running_per_key) VALUES (?1, 0, ?2, ?3) "
      "ON CONFLICT (name) DO UPDATE SET max_running = excluded.max_running, "
      "max_running_per_key = excluded.max_running_per_key");
  st.bind(1, name).bind(2, limits.max_running).bind(3, limits.max_running_per_key);
  return st.run();
}

core::Result<std::map<std::string, core::ConcurrencyLimits>> JobStore::queue_limits() {
  Statement st = db_.prepare(
      "SELECT name, max_running, max_running_per_key FROM queues "
      "WHERE max_running IS NOT NULL OR max_running_per_key IS NOT NULL");
  std::map<std::string, core::ConcurrencyLimits> out;
  auto opt_int = [&st](int col) -> std::optional<int> {
    if (st.is_null(col)) return std::nullopt;
    return static_cast<int>(st.int64(col));
  };
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.emplace(st.text(0), core::ConcurrencyLimits{opt_int(1), opt_int(2)});
  }
}

}  // namespace corral::sqlite
