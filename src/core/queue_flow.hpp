// A queue's flow settings beyond its concurrency limits (core/concurrency_limits.hpp):
//
// - rate_limit {jobs, per_s, burst}: at most `jobs` of its jobs start per `per_s` seconds, as a
//   token bucket (core/token_bucket.hpp) of capacity `burst` (default `jobs`) that a claim takes
//   one token from per job it hands out. An empty bucket hands out nothing more from that queue;
//   other queues of the same fetch are still served.
// - priority_aging_per_s: priority points a ready job gains per second of waiting, so that
//   low-priority work is served in the end under a constant stream of high-priority work. The
//   effective priority priority + rate × (now − ready_since) orders jobs as the static rank
//   priority − rate × ready_since does (rate × now is the same for every job of the queue), so a
//   job's place is fixed when it becomes ready and a fetch reads no more than without aging.
//
// Pure values and rules; each backend keeps the buckets and ranks (docs/api.md, "Queue settings").
#pragma once

#include "core/time.hpp"
#include "core/token_bucket.hpp"

#include <cstdint>
#include <optional>

namespace corral::core {

inline constexpr std::int64_t kMaxRateJobs = 1'000'000;
inline constexpr double kMinRatePeriodS = 0.001;
inline constexpr double kMaxRatePeriodS = 86'400;
inline constexpr double kMinAgingPerS = 0.000001;
inline constexpr double kMaxAgingPerS = 1'000;

struct QueueRateLimit {
  std::int64_t jobs = 0;               // 1..kMaxRateJobs
  double per_s = 1;                    // kMinRatePeriodS..kMaxRatePeriodS
  std::optional<std::int64_t> burst;   // 1..kMaxRateJobs; none: jobs
  // The bucket: jobs / per_s tokens a second, holding burst (or jobs) at most.
  RateLimit bucket() const { return {static_cast<double>(jobs) / per_s, burst.value_or(jobs)}; }
  bool operator==(QueueRateLimit const&) const = default;
};

struct QueueFlow {
  std::optional<QueueRateLimit> rate_limit;
  std::optional<double> priority_aging_per_s;
  bool any() const { return rate_limit.has_value() || priority_aging_per_s.has_value(); }
  bool operator==(QueueFlow const&) const = default;
};

// The rank a ready job of an aging queue is ordered by, higher first (then FIFO):
// priority − rate × ready_since, with ready_since in seconds since the epoch. Without aging (rate
// none) it is the priority itself.
double aged_rank(int priority, std::optional<double> rate_per_s, TimePoint ready_since);

// The effective priority of a job of rank `rank` at `now`: rank + rate × now, what the rank
// means to a reader. A job of priority p waiting w seconds has p + rate × w.
double effective_priority(double rank, double rate_per_s, TimePoint now);

}  // namespace corral::core
