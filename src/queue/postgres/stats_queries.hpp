// The PostgreSQL backend's side of stats and health (queue/rollup.hpp, queue/health_checks.hpp):
// the reads of a window's rollups, errors and worker sightings written by every node, the counts
// by (queue, type, priority), the oldest ready job of each queue (through corral_jobs_queued_since)
// and the leases held by each worker. Each reads what the cluster has committed, so every node
// answers the same.
//
// Not thread-safe: each call uses the connection it is given.
#pragma once

#include "queue/postgres/connection.hpp"
#include "queue/requests.hpp"
#include "queue/rollup.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::postgres {

// The database's clock.
DbResult<core::TimePoint> db_now(Connection& conn);
// Every queue with jobs or a pause, with its counts by state.
DbResult<std::vector<queue::QueueInfo>> read_queue_infos(Connection& conn);
// The queue `name` alone, as read_queue_infos() reads it: its settings row and its own counts.
DbResult<std::optional<queue::QueueInfo>> read_queue_info(Connection& conn, std::string const& name);
DbResult<std::map<queue::CountKey, queue::StateCounts>> read_detail_counts(Connection& conn);
// When the oldest ready job of each queue with ready jobs became ready.
DbResult<std::map<std::string, core::TimePoint>> read_oldest_ready(Connection& conn);
DbResult<std::vector<queue::RollupRow>> read_rollups(Connection& conn, std::int64_t span_s, std::int64_t first_s,
                                                     std::optional<std::string> const& queue,
                                                     std::optional<std::string> const& type);
DbResult<std::vector<queue::ErrorRow>> read_errors(Connection& conn, std::int64_t first_s,
                                                   std::optional<std::string> const& queue,
                                                   std::optional<std::string> const& type);
// The last sighting of each (worker, queue) at or after `since_us`, over every node.
DbResult<std::vector<queue::SightingRow>> read_sightings(Connection& conn, std::int64_t since_us);
DbResult<std::map<std::string, std::int64_t>> read_running_by_worker(Connection& conn);
DbResult<std::map<std::string, std::int64_t>> read_last_fetch_by_queue(Connection& conn);

}  // namespace corral::postgres
