// Which workers fetch from which queues, kept so that stats can list the workers seen and health
// can tell a queue no worker fetches from. Every fetch is a sighting, empty ones too, but a
// (worker, queue) pair is written at most once every kWriteEvery per node: a busy worker costs one
// small upsert every few seconds, not one per job. The backends write the sightings this says are
// due in the batch of the fetch and call written() once it has committed, so a batch that failed
// or ran again loses none.
//
// Thread-safe.
#pragma once

#include "core/time.hpp"

#include <map>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace corral::queue {

struct Sighting {
  std::string worker_id;   // empty for fetches that named no worker
  std::string queue;
  core::TimePoint at{};
  auto operator<=>(Sighting const&) const = default;
};

class WorkerSightings {
 public:
  static constexpr core::Micros kWriteEvery = std::chrono::seconds(5);

  // Adds to `out` the queues of this fetch whose sighting is due to be written (none within
  // kWriteEvery of the last written), each once per batch.
  void due(std::string const& worker_id, std::span<std::string const> queues, core::TimePoint now,
           std::map<std::pair<std::string, std::string>, core::TimePoint>& out) const;
  void written(std::map<std::pair<std::string, std::string>, core::TimePoint> const& sightings);

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, core::TimePoint> written_;   // GUARDED_BY(mutex_)
};

}  // namespace corral::queue
