// The values of GET /api/v1/stats and GET /api/v1/health: what the service answers, and the
// thresholds health judges by. Plain values, shared by queue/ (which computes them), wire/ (which
// writes them as JSON) and the CLI.
#pragma once

#include "api/requests.hpp"
#include "core/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::api {

// The windows stats are kept for. The series has one point per minute over the last hour, one per
// hour over the others.
enum class StatsWindow { hour, day, week };

struct StatsQuery {
  StatsWindow window = StatsWindow::hour;
  std::optional<std::string> queue, type;   // only this queue's, this type's jobs
  // Only this owner's jobs (a key scoped to an owner; queue/owner_stats.hpp): workers left out.
  std::optional<std::string> owner;
};

// Durations of one kind (queue wait or run time) over the window, in seconds. Percentiles are
// estimated from fixed log-scale buckets, as Prometheus' histogram_quantile does.
struct DurationSummary {
  std::int64_t count = 0;
  double mean_s = 0, p50_s = 0, p95_s = 0, p99_s = 0;
};

// Jobs that ended in one step of the series: [start, start + the window's step).
struct SeriesPoint {
  core::TimePoint start{};
  std::int64_t completed = 0;
  std::int64_t failed = 0;   // failed for good (retries not counted)
};

// One error code over the window: every attempt that ended with it.
struct ErrorCount {
  std::string code;
  std::string message;               // the latest one, as a sample
  std::int64_t count = 0;
  core::TimePoint last_seen{};
  std::vector<std::string> types;    // the job types it happened to, sorted
};

// A worker that fetched within the window (whether or not it got work).
struct WorkerSeen {
  std::string worker_id;             // empty: fetches that named no worker, counted apart
  std::vector<std::string> queues;   // sorted
  core::TimePoint last_seen{};
  std::int64_t jobs_running = 0;     // leases it holds now
};

struct Stats {
  StatsWindow window = StatsWindow::hour;
  core::TimePoint now{};
  std::map<std::string, StateCounts> by_queue;
  std::map<std::string, StateCounts> by_type;
  std::map<int, StateCounts> by_priority;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  std::optional<double> success_rate;   // completed / (completed + failed); none when nothing ended
  std::vector<SeriesPoint> series;      // oldest first, every step of the window (zeros too)
  std::map<std::string, DurationSummary> queue_wait;   // by type: run_at to started_at
  std::map<std::string, DurationSummary> run_time;     // by type: an attempt's start to its end
  std::vector<ErrorCount> errors;       // most frequent first, at most kMaxErrors
  std::map<std::string, double> oldest_ready_age_s;    // queues with ready jobs
  std::vector<WorkerSeen> workers;      // named workers, by id
  std::optional<WorkerSeen> anonymous;  // fetches without a worker id, if any in the window

  static constexpr std::size_t kMaxErrors = 10;
};

// What health judges each queue by, for every queue with jobs or a pause.
struct QueueHealth {
  std::string name;
  bool paused = false;
  std::int64_t ready = 0;                          // queued jobs
  std::optional<core::TimePoint> oldest_ready_at;  // the oldest queued job's run_at: when it became ready
  std::optional<core::TimePoint> last_fetch_at;    // the last fetch naming this queue (kept across restarts)
};

// The facts the backend knows for GET /api/v1/health; the thresholds are applied above it.
struct HealthFacts {
  core::TimePoint now{};
  std::int64_t completed_last_hour = 0;
  std::int64_t failed_last_hour = 0;
  std::int64_t leases_expired_last_15m = 0;
  std::vector<QueueHealth> queues;
  std::int64_t workers_seen = 0;   // named workers that fetched in the last hour
  bool writable = true;
  std::string not_writable_reason;
  double commit_latency_s = 0;     // the slowest commit of the last minute
};

// The thresholds of GET /api/v1/health: each check is not healthy past its own.
struct HealthThresholds {
  double min_success_rate = 0.9;       // over the last hour; below it: degraded
  std::int64_t max_expired_leases = 10;  // in the last 15 minutes; more: degraded
  std::int64_t max_ready = 10'000;     // ready jobs in one queue; more: degraded
  double max_ready_age_s = 600;        // the oldest ready job of a queue; older: degraded
  double no_worker_s = 60;             // ready work no worker fetched from for this long: unhealthy
  double max_commit_latency_s = 1;     // the slowest commit of the last minute; slower: degraded
  double max_connection_use = 0.9;     // open connections / max_connections; more: degraded
  double max_long_poll_use = 0.9;      // waiting long-polls / max_long_polls; more: degraded
};

// The HTTP layer's own use of its limits, for the last two checks.
struct AdmissionUse {
  std::size_t connections = 0, max_connections = 0;
  std::size_t long_polls = 0, max_long_polls = 0;
};

enum class HealthStatus { healthy, degraded, unhealthy };   // in order of worsening

inline std::string_view to_string(HealthStatus s) {
  switch (s) {
    case HealthStatus::healthy: return "healthy";
    case HealthStatus::degraded: return "degraded";
    case HealthStatus::unhealthy: return "unhealthy";
  }
  return "unhealthy";
}

struct HealthCheck {
  std::string name;                 // e.g. "success_rate", "queue_without_worker:emails"
  HealthStatus status = HealthStatus::healthy;
  double value = 0;
  double threshold = 0;
  std::string message;              // what is wrong, in words an operator acts on; or that all is well
};

struct Health {
  HealthStatus status = HealthStatus::healthy;   // the worst of the checks
  std::vector<HealthCheck> checks;
};

}  // namespace corral::api
