#include "metrics/histogram.hpp"

#include <algorithm>

namespace corral::metrics {

Histogram::Histogram(std::span<double const> upper_bounds)
    : upper_bounds_(upper_bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {}

void Histogram::observe(double value) noexcept {
  // Prometheus buckets are "less than or equal": the first bound not below the value.
  auto const at = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
  buckets_[static_cast<std::size_t>(at)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(upper_bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace corral::metrics
