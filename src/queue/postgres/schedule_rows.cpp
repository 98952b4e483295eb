#include "queue/postgres/schedule_rows.hpp"

namespace corral::postgres {
namespace {

constexpr std::string_view kColumns =
    "name, cron, timezone, job, overlap, catch_up, paused, next_run_at, last_tick_at, last_job_id, created_at, "
    "updated_at";

std::string select(std::string_view rest) {
  return "SELECT " + std::string(kColumns) + " FROM corral_schedules " + std::string(rest);
}

std::optional<core::TimePoint> opt_time(Rows const& rows, int row, int col) {
  auto us = rows.opt_int64(row, col);
  if (!us) return std::nullopt;
  return core::from_unix_micros(*us);
}

Param opt_micros(std::optional<core::TimePoint> t) {
  if (!t) return std::nullopt;
  return std::to_string(core::to_unix_micros(*t));
}

std::vector<queue::Schedule> read_rows(Rows const& rows) {
  std::vector<queue::Schedule> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({std::string(rows.text(i, 0)), std::string(rows.text(i, 1)), std::string(rows.text(i, 2)),
                   std::string(rows.text(i, 3)), std::string(rows.text(i, 4)), std::string(rows.text(i, 5)),
                   rows.boolean(i, 6), opt_time(rows, i, 7), opt_time(rows, i, 8), rows.opt_text(i, 9),
                   core::from_unix_micros(rows.int64(i, 10)), core::from_unix_micros(rows.int64(i, 11))});
  }
  return out;
}

core::Error not_found(std::string const& name) {
  return core::make_error(core::Errc::not_found, "schedule " + name + " not found");
}

}  // namespace

core::Result<queue::Schedule> schedule_get(Connection& conn, std::string const& name) {
  static std::string const sql = select("WHERE name = $1");
  auto rows = conn.query("corral_schedule_get", sql, {name});
  if (!rows) return rows.error().error;
  if (rows->size() == 0) return not_found(name);
  return read_rows(*rows).front();
}

core::Result<std::vector<queue::Schedule>> schedule_list(Connection& conn) {
  static std::string const sql = select("ORDER BY name COLLATE \"C\"");
  auto rows = conn.query("corral_schedule_list", sql, {});
  if (!rows) return rows.error().error;
  return read_rows(*rows);
}

core::Result<void> schedule_delete(Connection& conn, std::string const& name) {
  auto rows = conn.query("corral_schedule_delete", "DELETE FROM corral_schedules WHERE name = $1 RETURNING name", {name});
  if (!rows) return rows.error().error;
  if (rows->size() == 0) return not_found(name);
  return {};
}

DbResult<std::optional<queue::Schedule>> schedule_lock(Connection& conn, std::string const& name) {
  static std::string const sql = select("WHERE name = $1 FOR UPDATE");
  auto rows = conn.query("corral_schedule_lock", sql, {name});
  if (!rows) return rows.error();
  if (rows->size() == 0) return std::optional<queue::Schedule>{};
  return std::optional(read_rows(*rows).front());
}

DbResult<std::vector<queue::Schedule>> schedule_lock_due(Connection& conn, core::TimePoint now, std::size_t limit) {
  // One statement locks and reads, so each row comes back as it was locked (job_rows.hpp says
  // why not a CTE and a join): a tick another node committed meanwhile is not due any more.
  static std::string const sql =
      select("WHERE NOT paused AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2::int FOR UPDATE SKIP LOCKED");
  auto rows = conn.query("corral_schedule_lock_due", sql,
                         {std::to_string(core::to_unix_micros(now)), std::to_string(limit)});
  if (!rows) return rows.error();
  return read_rows(*rows);
}

DbResult<void> schedule_write(Connection& conn, queue::Schedule const& s) {
  static std::string const sql =
      "INSERT INTO corral_schedules (" + std::string(kColumns) +
      ") VALUES ($1, $2, $3, $4, $5, $6, $7::boolean, $8::bigint, $9::bigint, $10, $11::bigint, $12::bigint)"
      " ON CONFLICT (name) DO UPDATE SET cron = $2, timezone = $3, job = $4, overlap = $5, catch_up = $6,"
      " paused = $7::boolean, next_run_at = $8::bigint, last_tick_at = $9::bigint, last_job_id = $10,"
      " created_at = $11::bigint, updated_at = $12::bigint";
  auto rows = conn.query("corral_schedule_write", sql,
                         {s.name, s.cron, s.timezone, s.job, s.overlap, s.catch_up, s.paused ? "true" : "false",
                          opt_micros(s.next_run_at), opt_micros(s.last_tick_at), s.last_job_id,
                          std::to_string(core::to_unix_micros(s.created_at)),
                          std::to_string(core::to_unix_micros(s.updated_at))});
  if (!rows) return rows.error();
  return {};
}

DbResult<std::optional<core::TimePoint>> schedule_next_due(Connection& conn) {
  auto rows = conn.query("corral_schedule_next_due", "SELECT min(next_run_at) FROM corral_schedules WHERE NOT paused", {});
  if (!rows) return rows.error();
  return opt_time(*rows, 0, 0);
}

core::Result<queue::ScheduleRunResult> schedule_peek_due(Connection& conn) {
  auto rows = conn.query("corral_schedule_peek_due",
                         "SELECT min(next_run_at), (extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
                         " FROM corral_schedules WHERE NOT paused",
                         {});
  if (!rows) return rows.error().error;
  return queue::ScheduleRunResult{{}, opt_time(*rows, 0, 0), core::from_unix_micros(rows->int64(0, 1))};
}

DbResult<std::optional<core::JobState>> schedule_job_state(Connection& conn, std::string const& id) {
  auto rows = conn.query("corral_schedule_job_state", "SELECT status FROM corral_jobs WHERE id = $1", {id});
  if (!rows) return rows.error();
  if (rows->size() == 0) return std::optional<core::JobState>{};
  return core::parse_job_state(rows->text(0, 0));
}

}  // namespace corral::postgres
