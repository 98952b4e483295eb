#include "queue/sqlite/schedule_store.hpp"

namespace corral::sqlite {
namespace {

constexpr std::string_view kColumns =
    "name, cron, timezone, job, overlap, catch_up, paused, next_run_at, last_tick_at, last_job_id, created_at, "
    "updated_at";

std::optional<core::TimePoint> opt_time(Statement const& st, int col) {
  auto us = st.opt_int64(col);
  if (!us) return std::nullopt;
  return core::from_unix_micros(*us);
}

std::optional<std::int64_t> opt_micros(std::optional<core::TimePoint> t) {
  if (!t) return std::nullopt;
  return core::to_unix_micros(*t);
}

queue::Schedule read_row(Statement const& st) {
  return {st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.int64(6) != 0,
          opt_time(st, 7), opt_time(st, 8), st.opt_text(9), core::from_unix_micros(st.int64(10)),
          core::from_unix_micros(st.int64(11))};
}

core::Result<std::vector<queue::Schedule>> read_all(Statement& st) {
  std::vector<queue::Schedule> out;
  for (;;) {
    auto row = st.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read_row(st));
  }
}

}  // namespace

core::Result<std::optional<queue::Schedule>> schedule_get(Database& db, std::string const& name) {
  auto st = db.prepare("SELECT " + std::string(kColumns) + " FROM schedules WHERE name = ?1");
  st.bind(1, name);
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<queue::Schedule>{};
  return std::optional(read_row(st));
}

core::Result<std::vector<queue::Schedule>> schedule_list(Database& db) {
  auto st = db.prepare("SELECT " + std::string(kColumns) + " FROM schedules ORDER BY name");
  return read_all(st);
}

core::Result<void> schedule_write(Database& db, queue::Schedule const& s) {
  auto st = db.prepare("INSERT OR REPLACE INTO schedules (" + std::string(kColumns) +
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  st.bind(1, s.name).bind(2, s.cron).bind(3, s.timezone).bind(4, s.job).bind(5, s.overlap).bind(6, s.catch_up);
  st.bind(7, s.paused ? 1 : 0).bind(8, opt_micros(s.next_run_at)).bind(9, opt_micros(s.last_tick_at));
  st.bind(10, s.last_job_id).bind(11, core::to_unix_micros(s.created_at)).bind(12, core::to_unix_micros(s.updated_at));
  return st.run();
}

core::Result<void> schedule_delete(Database& db, std::string const& name) {
  auto st = db.prepare("DELETE FROM schedules WHERE name = ?1");
  st.bind(1, name);
  if (auto r = st.run(); !r) return r;
  if (sqlite3_changes(db.handle()) == 0) {
    return core::make_error(core::Errc::not_found, "schedule " + name + " not found");
  }
  return {};
}

core::Result<std::vector<queue::Schedule>> schedule_due(Database& db, core::TimePoint now, std::size_t limit) {
  auto st = db.prepare("SELECT " + std::string(kColumns) +
                       " FROM schedules WHERE paused = 0 AND next_run_at <= ?1 ORDER BY next_run_at LIMIT ?2");
  st.bind(1, core::to_unix_micros(now)).bind(2, static_cast<std::int64_t>(limit));
  return read_all(st);
}

core::Result<std::optional<core::TimePoint>> schedule_next_due(Database& db) {
  auto st = db.prepare("SELECT min(next_run_at) FROM schedules WHERE paused = 0");
  auto row = st.step();
  if (!row) return row.error();
  return opt_time(st, 0);
}

core::Result<std::optional<core::JobState>> schedule_job_state(Database& db, std::string const& id) {
  auto st = db.prepare("SELECT status FROM jobs WHERE id = ?1");
  st.bind(1, id);
  auto row = st.step();
  if (!row) return row.error();
  if (!*row) return std::optional<core::JobState>{};
  return core::parse_job_state(st.text(0));
}

}  // namespace corral::sqlite
