#include "queue/postgres/owner_queries.hpp"

#include "queue/stored_json.hpp"

namespace corral::postgres {
namespace {

DbFailure unknown_state() {
  return DbFailure{core::make_error(core::Errc::internal, "a job has an unknown status")};
}

}  // namespace

DbResult<std::map<queue::CountKey, queue::StateCounts>> read_owner_counts(Connection& conn, std::string const& owner) {
  auto rows = conn.query("corral_owner_counts",
                         "SELECT queue, type, priority, status, count(*) FROM corral_jobs WHERE owner = $1"
                         " GROUP BY queue, type, priority, status",
                         {owner});
  if (!rows) return rows.error();
  std::map<queue::CountKey, queue::StateCounts> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto s = core::parse_job_state(rows->text(i, 3));
    if (!s) return unknown_state();
    queue::CountKey key{std::string(rows->text(i, 0)), std::string(rows->text(i, 1)), static_cast<int>(rows->int64(i, 2))};
    out[std::move(key)][static_cast<std::size_t>(*s)] = rows->int64(i, 4);
  }
  return out;
}

DbResult<std::map<std::string, core::TimePoint>> read_owner_oldest_ready(Connection& conn, std::string const& owner) {
  auto rows = conn.query("corral_owner_oldest_ready",
                         "SELECT queue, min(run_at) FROM corral_jobs WHERE owner = $1 AND status = 'queued' GROUP BY queue",
                         {owner});
  if (!rows) return rows.error();
  std::map<std::string, core::TimePoint> out;
  for (int i = 0; i < rows->size(); ++i) out[std::string(rows->text(i, 0))] = core::from_unix_micros(rows->int64(i, 1));
  return out;
}

DbResult<std::vector<queue::OwnerJobRow>> read_owner_window(Connection& conn, std::string const& owner,
                                                            std::int64_t since_us) {
  auto rows = conn.query("corral_owner_window",
                         "SELECT queue, type, status, run_at, attempts FROM corral_jobs"
                         " WHERE owner = $1 AND updated_at >= $2",
                         {owner, std::to_string(since_us)});
  if (!rows) return rows.error();
  std::vector<queue::OwnerJobRow> out;
  for (int i = 0; i < rows->size(); ++i) {
    auto s = core::parse_job_state(rows->text(i, 2));
    if (!s) return unknown_state();
    auto attempts = queue::parse_stored_attempts(rows->text(i, 4));
    if (!attempts) return DbFailure{attempts.error()};
    out.push_back({std::string(rows->text(i, 0)), std::string(rows->text(i, 1)), *s,
                   core::from_unix_micros(rows->int64(i, 3)), std::move(*attempts)});
  }
  return out;
}

}  // namespace corral::postgres
