// A Prometheus histogram with fixed buckets: how many observations fell at or under each upper
// bound, their count and their sum. The bounds are fixed when it is made (buckets.hpp holds
// Corral's sets), so observing costs a short search and two atomic adds, with no lock and no
// allocation; quantiles are worked out by whoever reads it (histogram_quantile in PromQL).
//
// Thread-safe: observe() from any thread while snapshot() reads. A snapshot taken during an
// observation may hold it in its bucket but not yet in the sum; its counts are consistent with
// one another (the total is the sum of the buckets), which is what Prometheus checks.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace corral::metrics {

class Histogram {
 public:
  // `upper_bounds` ascending, without +Inf (always there), in storage that outlives the histogram.
  explicit Histogram(std::span<double const> upper_bounds);

  void observe(double value) noexcept;

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;   // per upper bound, then +Inf: observations at or under it
    double sum = 0;
    std::uint64_t count() const { return cumulative.empty() ? 0 : cumulative.back(); }
  };
  Snapshot snapshot() const;
  std::span<double const> upper_bounds() const { return upper_bounds_; }

 private:
  std::span<double const> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;   // one per bound, then +Inf; not cumulative
  std::atomic<double> sum_{0};
};

}  // namespace corral::metrics
