#include "queue/sqlite/job_store.hpp"

#include "wire/job_json.hpp"

#include <array>

namespace corral::sqlite {
namespace {

using core::from_unix_micros;
using core::to_unix_micros;

// The column order of kColumns is the contract between bind_job() and read_job().
constexpr char kColumns[] =
    "seq, id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s, max_run_s, "
    "backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, "
    "progress, checkpoint, result, error_code, error_message, error_retryable, attempts, owner, "
    "idempotency_key, metadata, cancel_requested, lease_expires_at, worker_id, lease_token, "
    "created_at, updated_at, started_at, completed_at";
constexpr int kColumnCount = 35;

std::string select_jobs(std::string const& where) {
  return std::string("SELECT ") + kColumns + " FROM jobs " + where;
}

std::string placeholders(int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) s += (i == from ? "?" : ", ?") + std::to_string(i);
  return s;
}

std::optional<std::int64_t> opt_micros(std::optional<core::TimePoint> t) {
  if (!t) return std::nullopt;
  return to_unix_micros(*t);
}

std::optional<core::TimePoint> opt_time(Statement const& st, int col) {
  auto v = st.opt_int64(col);
  if (!v) return std::nullopt;
  return from_unix_micros(*v);
}

// Texts are bound in place (bind_static): each comes from the job, which outlives the statement's
// run, from a static string, or from the JSON texts in `scratch`, which the caller keeps until then.

// The nullable JSON progress at ?i, and the last error's three columns at ?i..?i+2.
void bind_progress(Statement& st, int i, core::Job const& j, std::string& scratch) {
  if (!j.progress) {
    st.bind_null(i);
    return;
  }
  scratch = wire::progress_to_json_text(*j.progress);
  st.bind_static(i, scratch);
}
void bind_error(Statement& st, int i, core::Job const& j) {
  if (j.error) {
    st.bind_static(i, j.error->code).bind_static(i + 1, j.error->message).bind(i + 2, j.error->retryable ? 1 : 0);
  } else {
    st.bind_null(i).bind_null(i + 1).bind_null(i + 2);
  }
}

// Binds columns 2..35 (everything but seq) at parameters ?2..?35.
void bind_job(Statement& st, core::Job const& j, JobStore::Scratch& scratch) {
  st.bind_static(2, j.id).bind_static(3, j.type).bind_static(4, j.queue).bind_static(5, core::to_string(j.status));
  st.bind(6, j.priority).bind(7, j.attempt).bind(8, j.max_attempts).bind(9, to_unix_micros(j.run_at));
  st.bind(10, j.timeout_s).bind(11, j.max_run_s);
  st.bind(12, j.backoff.initial_s).bind(13, j.backoff.multiplier).bind(14, j.backoff.max_s);
  st.bind(15, j.backoff.jitter).bind(16, j.retryable ? 1 : 0).bind_static(17, j.payload);
  bind_progress(st, 18, j, scratch.progress);
  st.bind_static(19, j.checkpoint).bind_static(20, j.result);
  bind_error(st, 21, j);
  scratch.attempts = wire::attempts_to_json_text(j.attempts);
  st.bind_static(24, scratch.attempts).bind_static(25, j.owner).bind_static(26, j.idempotency_key);
  st.bind_static(27, j.metadata).bind(28, j.cancel_requested ? 1 : 0).bind(29, opt_micros(j.lease_expires_at));
  st.bind_static(30, j.worker_id).bind_static(31, j.lease_token).bind(32, to_unix_micros(j.created_at));
  st.bind(33, to_unix_micros(j.updated_at)).bind(34, opt_micros(j.started_at));
  st.bind(35, opt_micros(j.completed_at));
}

core::Result<core::Job> read_job(Statement const& st) {
  core::Job j;
  j.seq = st.int64(0);
  j.id = st.text(1);
  j.type = st.text(2);
  j.queue = st.text(3);
  auto status = core::parse_job_state(st.text(4));
  if (!status) return core::make_error(core::Errc::internal, "job " + j.id + " has an unknown status");
  j.status = *status;
  j.priority = static_cast<int>(st.int64(5));
  j.attempt = static_cast<int>(st.int64(6));
  j.max_attempts = static_cast<int>(st.int64(7));
  j.run_at = from_unix_micros(st.int64(8));
  j.timeout_s = st.real(9);
  j.max_run_s = st.opt_real(10);
  j.backoff = {st.real(11), st.real(12), st.real(13), st.real(14)};
  j.retryable = st.int64(15) != 0;
  j.payload = st.text(16);
  if (auto p = st.opt_text(17)) {
    auto progress = wire::progress_from_json_text(*p);
    if (!progress) return progress.error();
    j.progress = *progress;
  }
  j.checkpoint = st.opt_text(18);
  j.result = st.opt_text(19);
  if (!st.is_null(20)) j.error = core::JobError{st.text(20), st.text(21), st.int64(22) != 0};
  auto attempts = wire::attempts_from_json_text(st.text(23));
  if (!attempts) return attempts.error();
  j.attempts = std::move(*attempts);
  j.owner = st.opt_text(24);
  j.idempotency_key = st.opt_text(25);
  j.metadata = st.opt_text(26);
  j.cancel_requested = st.int64(27) != 0;
  j.lease_expires_at = opt_time(st, 28);
  j.worker_id = st.opt_text(29);
  j.lease_token = st.opt_text(30);
  j.created_at = from_unix_micros(st.int64(31));
  j.updated_at = from_unix_micros(st.int64(32));
  j.started_at = opt_time(st, 33);
  j.completed_at = opt_time(st, 34);
  return j;
}

}  // namespace

JobStore::JobStore(Database& db)
    : db_(db),
      insert_(db.handle(), std::string("INSERT INTO jobs (") + (kColumns + 5) + ") VALUES (" +
                               placeholders(2, kColumnCount) + ")"),
      update_(db.handle(),
              "UPDATE jobs SET status = ?2, attempt = ?3, run_at = ?4, progress = ?5, checkpoint = ?6, "
              "result = ?7, error_code = ?8, error_message = ?9, error_retryable = ?10, attempts = ?11, "
              "cancel_requested = ?12, lease_expires_at = ?13, worker_id = ?14, lease_token = ?15, "
              "updated_at = ?16, started_at = ?17, completed_at = ?18 WHERE seq = ?1"),
      delete_(db.handle(), "DELETE FROM jobs WHERE seq = ?1"),
      get_(db.handle(), select_jobs("WHERE id = ?1")),
      get_by_seq_(db.handle(), select_jobs("WHERE seq = ?1")),
      get_by_key_(db.handle(), select_jobs("WHERE idempotency_key = ?1")),
      set_paused_(db.handle(),
                  "INSERT INTO queues (name, paused) VALUES (?1, ?2) "
                  "ON CONFLICT (name) DO UPDATE SET paused = excluded.paused"),
      // Served by jobs_by_status (status, seq): no index of its own, so no cost on each write.
      oldest_in_(db.handle(), "SELECT seq, completed_at FROM jobs WHERE status = ?1 ORDER BY seq LIMIT ?2") {}

core::Result<std::int64_t> JobStore::job_insert(core::Job const& job) {
  bind_job(insert_, job, scratch_);
  if (auto r = insert_.run(); !r) return r.error();
  return sqlite3_last_insert_rowid(db_.handle());
}

core::Result<void> JobStore::job_update(core::Job const& j) {
  auto& st = update_;
  st.bind(1, j.seq).bind_static(2, core::to_string(j.status)).bind(3, j.attempt).bind(4, to_unix_micros(j.run_at));
  bind_progress(st, 5, j, scratch_.progress);
  st.bind_static(6, j.checkpoint).bind_static(7, j.result);
  bind_error(st, 8, j);
  scratch_.attempts = wire::attempts_to_json_text(j.attempts);
  st.bind_static(11, scratch_.attempts).bind(12, j.cancel_requested ? 1 : 0);
  st.bind(13, opt_micros(j.lease_expires_at)).bind_static(14, j.worker_id).bind_static(15, j.lease_token);
  st.bind(16, to_unix_micros(j.updated_at)).bind(17, opt_micros(j.started_at)).bind(18, opt_micros(j.completed_at));
  return st.run();
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

core::Result<std::optional<core::Job>> JobStore::job_get_by_key(std::string const& key) {
  get_by_key_.bind(1, key);
  return one_job(get_by_key_);
}

core::Result<std::vector<core::Job>> JobStore::job_list(queue::ListQuery const& q) {
  // Filters are few and optional; build the WHERE clause from those given. Parameters keep fixed
  // numbers so the binding below does not depend on which are present.
  std::string where = "WHERE 1";
  if (q.status) where += " AND status = ?1";
  if (q.queue) where += " AND queue = ?2";
  if (q.type) where += " AND type = ?3";
  if (q.owner) where += " AND owner = ?4";
  if (q.before_seq) where += " AND seq < ?5";
  Statement st = db_.prepare(select_jobs(where + " ORDER BY seq DESC LIMIT ?6"));
  if (q.status) st.bind(1, core::to_string(*q.status));
  if (q.queue) st.bind(2, *q.queue);
  if (q.type) st.bind(3, *q.type);
  if (q.owner) st.bind(4, *q.owner);
  if (q.before_seq) st.bind(5, *q.before_seq);
  st.bind(6, q.limit);
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

core::Result<void> JobStore::job_each_active(std::function<void(ActiveJob const&)> const& fn) {
  Statement st = db_.prepare(
      "SELECT seq, queue, priority, status, run_at, lease_expires_at FROM jobs "
      "WHERE status IN ('queued', 'scheduled', 'running', 'retrying')");
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return {};
    auto status = core::parse_job_state(st.text(3));
    if (!status) return core::make_error(core::Errc::internal, "a job has an unknown status");
    fn(ActiveJob{st.int64(0), st.text(1), static_cast<int>(st.int64(2)), *status,
                 from_unix_micros(st.int64(4)), opt_time(st, 5)});
  }
}

core::Result<std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>>> JobStore::job_oldest_in(
    core::JobState status, int limit) {
  oldest_in_.bind(1, core::to_string(status)).bind(2, limit);
  std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> out;
  for (;;) {
    auto row = oldest_in_.step();
    if (!row) {
      oldest_in_.reset();
      return row.error();
    }
    if (!*row) break;
    out.emplace_back(oldest_in_.int64(0), oldest_in_.opt_int64(1));
  }
  oldest_in_.reset();
  return out;
}

core::Result<std::map<std::string, queue::StateCounts>> JobStore::job_count_terminal_by_queue() {
  Statement st = db_.prepare(
      "SELECT queue, status, count(*) FROM jobs WHERE status IN ('completed', 'failed', 'cancelled') "
      "GROUP BY queue, status");
  std::map<std::string, queue::StateCounts> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    if (auto status = core::parse_job_state(st.text(1))) {
      out[st.text(0)][static_cast<std::size_t>(*status)] = st.int64(2);
    }
  }
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

}  // namespace corral::sqlite
