#include "queue/postgres/stats_queries.hpp"

#include "queue/postgres/limited_claims.hpp"
#include "queue/postgres/queue_flow_rows.hpp"
#include "queue/postgres/queue_push_rows.hpp"

namespace corral::postgres {
namespace {

DbResult<std::map<std::string, std::int64_t>> map_of(DbResult<Rows> rows) {
  if (!rows) return rows.error();
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < rows->size(); ++i) out[std::string(rows->text(i, 0))] = rows->int64(i, 1);
  return out;
}

// Counts folded plus the deltas not folded yet (maintenance.hpp).
constexpr char kCounts[] =
    "(SELECT queue, type, priority, status, n FROM corral_queue_counts"
    " UNION ALL SELECT queue, type, priority, status, delta FROM corral_count_deltas) c";

}  // namespace

DbResult<core::TimePoint> db_now(Connection& conn) {
  auto rows = conn.query("corral_now", "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint", {});
  if (!rows) return rows.error();
  return core::from_unix_micros(rows->int64(0, 0));
}

namespace {

std::string const& queue_counts_sql(bool one) {
  static std::string const all = std::string("SELECT queue, status, sum(n)::bigint FROM ") + kCounts + " GROUP BY queue, status";
  static std::string const by_name =
      std::string("SELECT queue, status, sum(n)::bigint FROM ") + kCounts + " WHERE queue = $1 GROUP BY queue, status";
  return one ? by_name : all;
}

std::string const& queue_settings_sql(bool one) {
  static std::string const all = std::string("SELECT name, paused, max_running, max_running_per_key, ") + kPushColumns +
                                 ", " + kFlowColumns + " FROM corral_queues";
  static std::string const by_name = all + " WHERE name = $1";
  return one ? by_name : all;
}

// Every queue's counts and settings, or those of `only` when given.
DbResult<std::vector<queue::QueueInfo>> read_infos(Connection& conn, std::string const* only) {
  std::vector<Param> params;
  if (only) params.emplace_back(*only);
  auto counts = conn.query(only ? "corral_queue_counts_one" : "corral_queue_counts", queue_counts_sql(only), params);
  if (!counts) return counts.error();
  auto paused = conn.query(only ? "corral_queue_settings_one" : "corral_queue_settings", queue_settings_sql(only), params);
  if (!paused) return paused.error();
  std::map<std::string, queue::QueueInfo> by_name;
  for (int i = 0; i < counts->size(); ++i) {
    auto name = std::string(counts->text(i, 0));
    auto& info = by_name.try_emplace(name, queue::QueueInfo{name, false, {}, {}}).first->second;
    if (auto s = core::parse_job_state(counts->text(i, 1))) {
      info.counts[static_cast<std::size_t>(*s)] = counts->int64(i, 2);
    }
  }
  for (int i = 0; i < paused->size(); ++i) {
    auto name = std::string(paused->text(i, 0));
    auto& info = by_name.try_emplace(name, queue::QueueInfo{name, false, {}, {}}).first->second;
    info.paused = paused->boolean(i, 1);
    info.limits = read_limits(*paused, i, 2);
    info.push = read_push(*paused, i, 4);
    info.flow = read_flow(*paused, i, 7);
  }
  std::vector<queue::QueueInfo> out;
  for (auto& [name, info] : by_name) out.push_back(std::move(info));
  return out;
}

}  // namespace

DbResult<std::vector<queue::QueueInfo>> read_queue_infos(Connection& conn) { return read_infos(conn, nullptr); }

DbResult<std::optional<queue::QueueInfo>> read_queue_info(Connection& conn, std::string const& name) {
  auto infos = read_infos(conn, &name);
  if (!infos) return infos.error();
  if (infos->empty()) return std::optional<queue::QueueInfo>();
  return std::optional<queue::QueueInfo>(std::move(infos->front()));
}

DbResult<std::map<queue::CountKey, queue::StateCounts>> read_detail_counts(Connection& conn) {
  auto rows = conn.query("corral_detail_counts",
                         std::string("SELECT queue, type, priority, status, sum(n)::bigint FROM ") + kCounts +
                             " GROUP BY queue, type, priority, status",
                         {});
  if (!rows) return rows.error();
  std::map<queue::CountKey, queue::StateCounts> out;
  for (int i = 0; i < rows->size(); ++i) {
    if (auto s = core::parse_job_state(rows->text(i, 3))) {
      queue::CountKey key{std::string(rows->text(i, 0)), std::string(rows->text(i, 1)),
                          static_cast<int>(rows->int64(i, 2))};
      out[std::move(key)][static_cast<std::size_t>(*s)] = rows->int64(i, 4);
    }
  }
  return out;
}

DbResult<std::map<std::string, core::TimePoint>> read_oldest_ready(Connection& conn) {
  // One index probe of corral_jobs_queued_since per queue: O(queues * log n).
  auto rows = conn.query(
      "corral_oldest_ready",
      "SELECT q.queue, (SELECT min(j.run_at) FROM corral_jobs j WHERE j.queue = q.queue AND j.status = 'queued')"
      " FROM (SELECT queue FROM corral_queue_counts UNION SELECT queue FROM corral_count_deltas) q",
      {});
  if (!rows) return rows.error();
  std::map<std::string, core::TimePoint> out;
  for (int i = 0; i < rows->size(); ++i) {
    if (!rows->is_null(i, 1)) out[std::string(rows->text(i, 0))] = core::from_unix_micros(rows->int64(i, 1));
  }
  return out;
}

DbResult<std::vector<queue::RollupRow>> read_rollups(Connection& conn, std::int64_t span_s, std::int64_t first_s,
                                                     std::optional<std::string> const& queue,
                                                     std::optional<std::string> const& type) {
  auto rows = conn.query(
      "corral_read_rollups",
      "SELECT start_s, type, metric, sum(n)::bigint FROM corral_stats_rollups WHERE span_s = $1 AND start_s >= $2"
      " AND ($3::text IS NULL OR queue = $3) AND ($4::text IS NULL OR type = $4) GROUP BY start_s, type, metric",
      {std::to_string(span_s), std::to_string(first_s), queue, type});
  if (!rows) return rows.error();
  std::vector<queue::RollupRow> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({rows->int64(i, 0), "", std::string(rows->text(i, 1)), static_cast<int>(rows->int64(i, 2)),
                   rows->int64(i, 3)});
  }
  return out;
}

DbResult<std::vector<queue::ErrorRow>> read_errors(Connection& conn, std::int64_t first_s,
                                                   std::optional<std::string> const& queue,
                                                   std::optional<std::string> const& type) {
  auto rows = conn.query("corral_read_errors",
                         "SELECT type, code, n, message, last_seen FROM corral_stats_errors WHERE start_s >= $1"
                         " AND ($2::text IS NULL OR queue = $2) AND ($3::text IS NULL OR type = $3)",
                         {std::to_string(first_s), queue, type});
  if (!rows) return rows.error();
  std::vector<queue::ErrorRow> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({std::string(rows->text(i, 0)), std::string(rows->text(i, 1)), rows->int64(i, 2),
                   std::string(rows->text(i, 3)), rows->int64(i, 4)});
  }
  return out;
}

DbResult<std::vector<queue::SightingRow>> read_sightings(Connection& conn, std::int64_t since_us) {
  auto rows = conn.query("corral_read_sightings",
                         "SELECT worker_id, queue, max(last_seen) FROM corral_workers_seen WHERE last_seen >= $1"
                         " GROUP BY worker_id, queue",
                         {std::to_string(since_us)});
  if (!rows) return rows.error();
  std::vector<queue::SightingRow> out;
  for (int i = 0; i < rows->size(); ++i) {
    out.push_back({std::string(rows->text(i, 0)), std::string(rows->text(i, 1)), rows->int64(i, 2)});
  }
  return out;
}

DbResult<std::map<std::string, std::int64_t>> read_running_by_worker(Connection& conn) {
  // corral_jobs_leases holds the running jobs only: as many as the leases held.
  return map_of(conn.query("corral_running_by_worker",
                           "SELECT coalesce(worker_id, ''), count(*) FROM corral_jobs WHERE status = 'running'"
                           " GROUP BY 1",
                           {}));
}

DbResult<std::map<std::string, std::int64_t>> read_last_fetch_by_queue(Connection& conn) {
  return map_of(conn.query("corral_last_fetch",
                           "SELECT queue, max(last_seen) FROM corral_workers_seen GROUP BY queue", {}));
}

}  // namespace corral::postgres
