#include "queue/worker_sightings.hpp"

namespace corral::queue {

void WorkerSightings::due(std::string const& worker_id, std::span<std::string const> queues, core::TimePoint now,
                          std::map<std::pair<std::string, std::string>, core::TimePoint>& out) const {
  std::lock_guard lock(mutex_);
  for (auto const& q : queues) {
    auto key = std::make_pair(worker_id, q);
    if (out.contains(key)) {
      out[key] = now;
      continue;
    }
    auto it = written_.find(key);
    if (it == written_.end() || now - it->second >= kWriteEvery) out.emplace(std::move(key), now);
  }
}

void WorkerSightings::written(std::map<std::pair<std::string, std::string>, core::TimePoint> const& sightings) {
  std::lock_guard lock(mutex_);
  for (auto const& [key, at] : sightings) written_[key] = at;
}

}  // namespace corral::queue
