#include "queue/sqlite/running_counts.hpp"

namespace corral::sqlite {

void RunningCounts::add(std::string const& queue, std::optional<std::string> const& key, int delta) {
  // Kept at zero: queues are few, and dropping the entry would allocate it again at the next claim.
  in_queue_[queue] += delta;
  if (!key) return;
  auto k = by_key_.try_emplace({queue, *key}, 0).first;
  k->second += delta;
  if (k->second == 0) by_key_.erase(k);
}

std::int64_t RunningCounts::in_queue(std::string const& queue) const {
  auto it = in_queue_.find(queue);
  return it == in_queue_.end() ? 0 : it->second;
}

std::int64_t RunningCounts::of_key(std::string const& queue, std::string const& key) const {
  auto it = by_key_.find(std::pair<std::string, std::string>{queue, key});
  return it == by_key_.end() ? 0 : it->second;
}

void RunningCounts::set_limits(std::string const& queue, core::ConcurrencyLimits limits) {
  if (limits.any()) limits_[queue] = limits;
  else limits_.erase(queue);
}


}  // namespace corral::sqlite
