// The embedded backend's side of stats (queue/rollup.hpp): the writer adds each batch's rollups
// and due worker sightings in the batch's transaction (StatsWriter), and readers read a window
// back on a pooled connection (the read_* functions). Every statement of the stats tables is here.
//
// Not thread-safe: a StatsWriter belongs to the writer thread; the read functions run on whatever
// connection the caller holds.
#pragma once

#include "queue/rollup.hpp"
#include "queue/sqlite/database.hpp"
#include "queue/worker_sightings.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::sqlite {

using SightingMap = std::map<std::pair<std::string, std::string>, core::TimePoint>;

class StatsWriter {
 public:
  explicit StatsWriter(Database& db);

  core::Result<void> add(queue::Rollup const& rollup);
  core::Result<void> add(SightingMap const& sightings);
  // Deletes rollups, errors and sightings older than queue::kRollupKeepS before `now`.
  core::Result<void> trim(core::TimePoint now);

 private:
  Database& db_;
  Statement rollup_add_, error_add_, sighting_add_;
};

// Rollups of span `span_s` from `first_s` on, summed over queues, of the queue and type if given.
core::Result<std::vector<queue::RollupRow>> read_rollups(Database& db, std::int64_t span_s, std::int64_t first_s,
                                                         std::optional<std::string> const& queue,
                                                         std::optional<std::string> const& type);
core::Result<std::vector<queue::ErrorRow>> read_errors(Database& db, std::int64_t first_s,
                                                       std::optional<std::string> const& queue,
                                                       std::optional<std::string> const& type);
// Sightings at or after `since_us`.
core::Result<std::vector<queue::SightingRow>> read_sightings(Database& db, std::int64_t since_us);
// Running jobs by worker id ('' for those leased without one).
core::Result<std::map<std::string, std::int64_t>> read_running_by_worker(Database& db);
// The last fetch of each queue, unix microseconds.
core::Result<std::map<std::string, std::int64_t>> read_last_fetch_by_queue(Database& db);

}  // namespace corral::sqlite
