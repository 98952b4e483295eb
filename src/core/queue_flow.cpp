#include "core/queue_flow.hpp"

namespace corral::core {

namespace {
double epoch_seconds(TimePoint t) { return micros_to_seconds(t.time_since_epoch()); }
}  // namespace

double aged_rank(int priority, std::optional<double> rate_per_s, TimePoint ready_since) {
  if (!rate_per_s) return priority;
  return static_cast<double>(priority) - *rate_per_s * epoch_seconds(ready_since);
}

double effective_priority(double rank, double rate_per_s, TimePoint now) { return rank + rate_per_s * epoch_seconds(now); }

}  // namespace corral::core
