// Corral's bucket sets, one per kind of quantity, so that every histogram of a kind can be
// compared and summed with the others (PromQL sums buckets only with the same bounds).
#pragma once

#include <array>

namespace corral::metrics {

// Latencies of a request or a commit, in seconds: a commit on a local SSD takes a fraction of a
// millisecond, a request anything up to a long-poll's wait.
inline constexpr std::array<double, 17> kLatencySeconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

// A job's time waiting in its queue or running, in seconds: from a busy queue's milliseconds to a
// backlog's or a long job's hours, up to a day.
inline constexpr std::array<double, 16> kJobSeconds = {
    0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 86400};

// How many requests one commit carried (group commit's batch), up to the largest batch a backend
// takes (512 on SQLite, 256 on PostgreSQL).
inline constexpr std::array<double, 10> kBatchSizes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

}  // namespace corral::metrics
