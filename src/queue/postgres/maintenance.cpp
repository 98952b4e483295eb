#include "queue/postgres/maintenance.hpp"

#include "queue/rollup.hpp"

#include <pthread.h>
#include <boost/json.hpp>

namespace corral::postgres {

DbResult<void> fold_counts(Connection& conn) {
  if (auto r = conn.exec("BEGIN"); !r) return r.error();
  auto run = [&]() -> DbResult<void> {
    auto lock = conn.exec("SELECT pg_try_advisory_xact_lock(x'636f7272616c02'::bigint)");
    if (!lock) return lock.error();
    if (!lock->boolean(0, 0)) return {};   // another node is folding
    auto r = conn.exec(
        "WITH d AS (DELETE FROM corral_count_deltas RETURNING queue, type, priority, status, delta),"
        " s AS (SELECT queue, type, priority, status, sum(delta)::bigint AS n FROM d"
        " GROUP BY queue, type, priority, status)"
        " INSERT INTO corral_queue_counts (queue, type, priority, status, n)"
        " SELECT queue, type, priority, status, n FROM s"
        " ON CONFLICT (queue, type, priority, status) DO UPDATE SET n = corral_queue_counts.n + excluded.n");
    if (!r) return r.error();
    return {};
  };
  auto r = run();
  if (!r) {
    (void)conn.exec("ROLLBACK");
    return r;
  }
  if (auto c = conn.exec("COMMIT"); !c) return c.error();
  return {};
}

DbResult<void> trim_events(Connection& conn, std::size_t window) {
  auto r = conn.query("corral_trim_events",
                      "DELETE FROM corral_events WHERE seq <= (SELECT last FROM corral_event_seq WHERE id = 1) - $1",
                      {std::to_string(window)});
  if (!r) return r.error();
  return {};
}

DbResult<std::vector<std::string>> queues_with_ready_jobs(Connection& conn, std::vector<std::string> const& queues) {
  std::vector<std::string> out;
  if (queues.empty()) return out;
  boost::json::array names;
  for (auto const& q : queues) names.push_back(boost::json::string(q));
  auto rows = conn.query("corral_ready_queues",
                         "SELECT q FROM json_array_elements_text($1::json) AS q"
                         " WHERE EXISTS (SELECT 1 FROM corral_jobs WHERE queue = q AND status = 'queued')"
                         " AND NOT EXISTS (SELECT 1 FROM corral_queues WHERE name = q AND paused)",
                         {boost::json::serialize(names)});
  if (!rows) return rows.error();
  for (int i = 0; i < rows->size(); ++i) out.emplace_back(rows->text(i, 0));
  return out;
}

DbResult<std::vector<std::string>> queues_with_ended_jobs(Connection& conn) {
  auto rows = conn.query("corral_ended_queues",
                         "SELECT queue FROM (SELECT queue, status, n FROM corral_queue_counts"
                         " UNION ALL SELECT queue, status, delta FROM corral_count_deltas) c"
                         " WHERE status IN ('completed', 'failed', 'cancelled') GROUP BY queue HAVING sum(n) > 0",
                         {});
  if (!rows) return rows.error();
  std::vector<std::string> out;
  for (int i = 0; i < rows->size(); ++i) out.emplace_back(rows->text(i, 0));
  return out;
}

DbResult<void> trim_stats(Connection& conn) {
  // Rollups age by the hour; the DELETEs find the old rows through each table's primary key.
  auto r = conn.query(
      "corral_trim_stats",
      "WITH cutoff AS (SELECT (extract(epoch FROM clock_timestamp()))::bigint - $1::bigint AS s),"
      " r AS (DELETE FROM corral_stats_rollups WHERE span_s IN (60, 3600) AND start_s < (SELECT s FROM cutoff)),"
      " e AS (DELETE FROM corral_stats_errors WHERE start_s < (SELECT s FROM cutoff))"
      " DELETE FROM corral_workers_seen WHERE last_seen < (SELECT s FROM cutoff) * 1000000",
      {std::to_string(queue::kRollupKeepS)});
  if (!r) return r.error();
  return {};
}

Ticker::Ticker(std::chrono::milliseconds interval, std::function<void()> tick)
    : interval_(interval), tick_(std::move(tick)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "corral-ticker");   // named in top, perf and /proc
    std::unique_lock lock(mutex_);
    while (!stop_) {
      lock.unlock();
      tick_();
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  });
}

Ticker::~Ticker() { stop(); }

void Ticker::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace corral::postgres
