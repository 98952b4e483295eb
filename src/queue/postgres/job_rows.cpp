#include "queue/postgres/job_rows.hpp"

#include "wire/job_json.hpp"

#include <boost/json.hpp>

namespace corral::postgres {

using core::from_unix_micros;
using core::to_unix_micros;

const char kJobColumns[] =
    "j.seq, j.id, j.type, j.queue, j.status, j.priority, j.attempt, j.max_attempts, j.run_at, j.timeout_s, "
    "j.max_run_s, j.backoff_initial_s, j.backoff_multiplier, j.backoff_max_s, j.backoff_jitter, j.retryable, "
    "j.payload, j.progress, j.checkpoint, j.result, j.error_code, j.error_message, j.error_retryable, "
    "j.attempts, j.owner, j.idempotency_key, j.metadata, j.cancel_requested, j.lease_expires_at, j.worker_id, "
    "j.lease_token, j.created_at, j.updated_at, j.started_at, j.completed_at";

std::string skip_locked_jobs_sql(std::string_view where, std::string_view order, std::string_view tail) {
  std::string sql = "WITH d AS (SELECT seq FROM corral_jobs WHERE ";
  sql.append(where).append(" ORDER BY ").append(order).append(" LIMIT $2 FOR UPDATE SKIP LOCKED) SELECT ");
  sql.append(kJobColumns).append(" FROM corral_jobs j JOIN d ON d.seq = j.seq");
  if (!tail.empty()) sql.append(" ").append(tail);
  return sql;
}

namespace {

std::optional<core::TimePoint> opt_time(Rows const& r, int row, int col) {
  auto v = r.opt_int64(row, col);
  if (!v) return std::nullopt;
  return from_unix_micros(*v);
}

template <class T>
boost::json::value or_null(std::optional<T> const& v) {
  if (!v) return nullptr;
  return boost::json::value_from(*v);
}

boost::json::value time_or_null(std::optional<core::TimePoint> t) {
  if (!t) return nullptr;
  return to_unix_micros(*t);
}

}  // namespace

core::Result<core::Job> read_job(Rows const& r, int row) {
  core::Job j;
  j.seq = r.int64(row, 0);
  j.id = r.text(row, 1);
  j.type = r.text(row, 2);
  j.queue = r.text(row, 3);
  auto status = core::parse_job_state(r.text(row, 4));
  if (!status) return core::make_error(core::Errc::internal, "job " + j.id + " has an unknown status");
  j.status = *status;
  j.priority = static_cast<int>(r.int64(row, 5));
  j.attempt = static_cast<int>(r.int64(row, 6));
  j.max_attempts = static_cast<int>(r.int64(row, 7));
  j.run_at = from_unix_micros(r.int64(row, 8));
  j.timeout_s = r.real(row, 9);
  j.max_run_s = r.opt_real(row, 10);
  j.backoff = {r.real(row, 11), r.real(row, 12), r.real(row, 13), r.real(row, 14)};
  j.retryable = r.boolean(row, 15);
  j.payload = r.text(row, 16);
  if (auto p = r.opt_text(row, 17)) {
    auto progress = wire::progress_from_json_text(*p);
    if (!progress) return progress.error();
    j.progress = *progress;
  }
  j.checkpoint = r.opt_text(row, 18);
  j.result = r.opt_text(row, 19);
  if (!r.is_null(row, 20)) {
    j.error = core::JobError{std::string(r.text(row, 20)), std::string(r.text(row, 21)), r.boolean(row, 22)};
  }
  auto attempts = wire::attempts_from_json_text(r.text(row, 23));
  if (!attempts) return attempts.error();
  j.attempts = std::move(*attempts);
  j.owner = r.opt_text(row, 24);
  j.idempotency_key = r.opt_text(row, 25);
  j.metadata = r.opt_text(row, 26);
  j.cancel_requested = r.boolean(row, 27);
  j.lease_expires_at = opt_time(r, row, 28);
  j.worker_id = r.opt_text(row, 29);
  j.lease_token = r.opt_text(row, 30);
  j.created_at = from_unix_micros(r.int64(row, 31));
  j.updated_at = from_unix_micros(r.int64(row, 32));
  j.started_at = opt_time(r, row, 33);
  j.completed_at = opt_time(r, row, 34);
  return j;
}

core::Result<std::vector<core::Job>> read_jobs(Rows const& rows) {
  std::vector<core::Job> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto job = read_job(rows, i);
    if (!job) return job.error();
    out.push_back(std::move(*job));
  }
  return out;
}

std::string jobs_to_records(std::vector<core::Job const*> const& jobs) {
  boost::json::array records;
  records.reserve(jobs.size());
  for (auto const* jp : jobs) {
    auto const& j = *jp;
    boost::json::object o;
    o["seq"] = j.seq;
    o["id"] = j.id;
    o["type"] = j.type;
    o["queue"] = j.queue;
    o["status"] = core::to_string(j.status);
    o["priority"] = j.priority;
    o["attempt"] = j.attempt;
    o["max_attempts"] = j.max_attempts;
    o["run_at"] = to_unix_micros(j.run_at);
    o["timeout_s"] = j.timeout_s;
    o["max_run_s"] = or_null(j.max_run_s);
    o["backoff_initial_s"] = j.backoff.initial_s;
    o["backoff_multiplier"] = j.backoff.multiplier;
    o["backoff_max_s"] = j.backoff.max_s;
    o["backoff_jitter"] = j.backoff.jitter;
    o["retryable"] = j.retryable;
    o["payload"] = j.payload;
    o["progress"] = j.progress ? boost::json::value(wire::progress_to_json_text(*j.progress)) : nullptr;
    o["checkpoint"] = or_null(j.checkpoint);
    o["result"] = or_null(j.result);
    o["error_code"] = j.error ? boost::json::value(j.error->code) : nullptr;
    o["error_message"] = j.error ? boost::json::value(j.error->message) : nullptr;
    o["error_retryable"] = j.error ? boost::json::value(j.error->retryable) : nullptr;
    o["attempts"] = wire::attempts_to_json_text(j.attempts);
    o["owner"] = or_null(j.owner);
    o["idempotency_key"] = or_null(j.idempotency_key);
    o["metadata"] = or_null(j.metadata);
    o["cancel_requested"] = j.cancel_requested;
    o["lease_expires_at"] = time_or_null(j.lease_expires_at);
    o["worker_id"] = or_null(j.worker_id);
    o["lease_token"] = or_null(j.lease_token);
    o["created_at"] = to_unix_micros(j.created_at);
    o["updated_at"] = to_unix_micros(j.updated_at);
    o["started_at"] = time_or_null(j.started_at);
    o["completed_at"] = time_or_null(j.completed_at);
    records.push_back(std::move(o));
  }
  return boost::json::serialize(records);
}

}  // namespace corral::postgres
