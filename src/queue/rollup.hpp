// Stats kept incrementally: the events of each batch, summed into per-minute and per-hour rollups
// by (queue, type), which the batch writes in its own transaction (both backends). A stats call
// then reads a window's rollups, never the jobs: it costs the same with 10 jobs or 10 million, and
// a window still holds after a restart and after the jobs it counted were pruned.
//
// A rollup row is (span_s, start_s, queue, type, metric) -> n, where metric is a Metric: a count
// (completed, failed for good, leases expired), a sum of durations in microseconds, or one bucket
// of a fixed log-scale histogram of durations (queue wait, run time), from which percentiles are
// estimated as Prometheus' histogram_quantile does. Sparse: a batch writes only what it changed,
// and a writer adds its n to the row's (an upsert), so concurrent nodes add up.
// Errors are rolled up per minute by (queue, type, code) with a sample message and when last seen.
//
// Rejected: one row per minute with a column per bucket (56 columns, most of them zero), and
// recomputing stats from the jobs table (its cost grows with the jobs, and pruning loses them).
//
// Pure: no I/O, no clock. Not thread-safe (a value).
#pragma once

#include "api/stats.hpp"
#include "core/job_event.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace corral::queue {

// What a rollup row counts. Stored as numbers: never renumber one.
namespace metric {
inline constexpr int kCompleted = 1;
inline constexpr int kFailed = 2;          // failed for good
inline constexpr int kLeaseExpired = 3;
inline constexpr int kQueueWaitSumUs = 10;
inline constexpr int kRunTimeSumUs = 11;
inline constexpr int kQueueWaitBucket = 100;  // + bucket index
inline constexpr int kRunTimeBucket = 200;    // + bucket index
}  // namespace metric

// Upper bounds of the histogram buckets: 1 ms doubling up to about 18.6 hours, then +Inf.
inline constexpr std::size_t kBuckets = 28;
std::int64_t bucket_upper_us(std::size_t bucket);   // INT64_MAX for the last
std::size_t bucket_of(core::Micros d);

// The spans rollups are kept at: a minute for the last hour, an hour for the longer windows.
inline constexpr std::int64_t kMinuteS = 60;
inline constexpr std::int64_t kHourS = 3600;
// Rollups older than this are trimmed (the longest window, and a day to spare).
inline constexpr std::int64_t kRollupKeepS = 8 * 86400;

struct RollupKey {
  std::int64_t span_s = 0;
  std::int64_t start_s = 0;   // unix seconds, a multiple of span_s
  std::string queue;
  std::string type;
  int metric = 0;
  auto operator<=>(RollupKey const&) const = default;
};

struct ErrorKey {
  std::int64_t start_s = 0;   // the minute
  std::string queue;
  std::string type;
  std::string code;
  auto operator<=>(ErrorKey const&) const = default;
};

struct ErrorTally {
  std::int64_t count = 0;
  std::string message;        // the latest
  std::int64_t last_seen_us = 0;
};

// The rollups of one batch: what its events add. Events are summed per (minute, queue, type)
// first, with the cell of the previous event reused (a batch's events are mostly of one queue,
// type and minute), so an event costs a few additions, not a map lookup per metric; counts()
// spreads the cells into rows once per batch.
class Rollup {
 public:
  Rollup() = default;
  Rollup(Rollup const&) = delete;   // last_ points into cells_
  Rollup& operator=(Rollup const&) = delete;

  void add(core::JobEvent const& e);
  bool empty() const { return cells_.empty() && errors_.empty(); }
  void clear() {
    cells_.clear();
    errors_.clear();
    last_ = cells_.end();
  }
  // The rows this batch adds, per minute and per hour, in key order.
  std::map<RollupKey, std::int64_t> counts() const;
  std::map<ErrorKey, ErrorTally> const& errors() const { return errors_; }

 private:
  struct Cell {
    std::int64_t minute_s = 0;
    std::string queue;
    std::string type;
    auto operator<=>(Cell const&) const = default;
  };
  struct Tally {
    std::int64_t completed = 0, failed = 0, lease_expired = 0, wait_sum_us = 0, run_sum_us = 0;
    std::array<std::int64_t, kBuckets> wait{}, run{};
  };
  Tally& tally_for(core::JobEvent const& e, std::int64_t minute_s);

  std::map<Cell, Tally> cells_;
  std::map<Cell, Tally>::iterator last_ = cells_.end();   // the previous event's cell
  std::map<ErrorKey, ErrorTally> errors_;
};

// --- reading a window -------------------------------------------------------------------------

std::int64_t span_of(api::StatsWindow w);
std::int64_t steps_of(api::StatsWindow w);
// Unix seconds of the first step of the window ending now (its last step holds `now`).
std::int64_t window_start_s(api::StatsWindow w, core::TimePoint now);

// A rollup row as read back, summed over whatever the reader grouped away.
struct RollupRow {
  std::int64_t start_s = 0;
  std::string queue;
  std::string type;
  int metric = 0;
  std::int64_t n = 0;
};

struct ErrorRow {
  std::string type;
  std::string code;
  std::int64_t count = 0;
  std::string message;
  std::int64_t last_seen_us = 0;
};

// Fills the window's totals, series, durations and errors of `stats` (whose window and now are
// set) from the rows of that window. Rows outside it are ignored.
void fill_from_rollups(api::Stats& stats, std::span<RollupRow const> rows, std::span<ErrorRow const> errors);

// The counts by queue, type and priority from counts kept by (queue, type, priority), for the
// jobs `query` names.
struct CountKey {
  std::string queue;
  std::string type;
  int priority = 0;
  auto operator<=>(CountKey const&) const = default;
};
void fill_counts(api::Stats& stats, std::map<CountKey, api::StateCounts> const& counts, api::StatsQuery const& query);

// The last fetch of a (worker, queue), as read back.
struct SightingRow {
  std::string worker_id;   // empty: fetches that named no worker
  std::string queue;
  std::int64_t last_seen_us = 0;
};

// The workers seen (and the anonymous fetches apart), with the leases each holds now (`running`,
// by worker id). Of the queue asked for only, if one is.
void fill_workers(api::Stats& stats, std::span<SightingRow const> sightings,
                  std::map<std::string, std::int64_t> const& running, api::StatsQuery const& query);

// The last hour's outcomes and the last 15 minutes' expired leases, from per-minute rollups, and
// the named workers seen in the last hour, from the sightings since it began.
void fill_outcomes(api::HealthFacts& facts, std::span<RollupRow const> minute_rows,
                   std::span<SightingRow const> sightings);

// The estimate of quantile q (0..1) of a histogram of kBuckets counts, in seconds.
double quantile_s(double q, std::array<std::int64_t, kBuckets> const& buckets);

}  // namespace corral::queue
