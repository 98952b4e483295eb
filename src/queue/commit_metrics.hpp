// What each commit of requests cost: how long its transaction took, from its first statement to
// COMMIT returning (the wait a request's reply adds to its own work), and how many requests it
// carried (group commit's batch). A backend records every commit that carried at least one
// request; /metrics exports them as corral_commit_duration_seconds and corral_commit_batch_size.
//
// Thread-safe: record() runs on the committing thread (the SQLite writer, a PostgreSQL batch
// runner), while a scrape reads.
#pragma once

#include "metrics/buckets.hpp"
#include "metrics/histogram.hpp"

#include <chrono>
#include <cstddef>

namespace corral::queue {

struct CommitMetrics {
  metrics::Histogram duration{metrics::kLatencySeconds};
  metrics::Histogram batch_size{metrics::kBatchSizes};

  void record(std::chrono::steady_clock::duration took, std::size_t requests) {
    duration.observe(std::chrono::duration<double>(took).count());
    batch_size.observe(static_cast<double>(requests));
  }
};

}  // namespace corral::queue
