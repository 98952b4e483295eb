// The PostgreSQL backend's reads of one owner's jobs for the views a key scoped to that owner
// gets (GET /api/v1/queues and /stats; queue/owner_stats.hpp): from corral_jobs through
// corral_jobs_by_owner, since corral_queue_counts and the rollups hold no owner. Each costs a scan
// of the owner's jobs, so the views of keys without an owner never run them.
//
// Not thread-safe: each call uses the connection it is given.
#pragma once

#include "queue/owner_stats.hpp"
#include "queue/postgres/connection.hpp"
#include "queue/requests.hpp"
#include "queue/rollup.hpp"

#include <map>
#include <string>
#include <vector>

namespace corral::postgres {

// The owner's jobs by (queue, type, priority) and state.
DbResult<std::map<queue::CountKey, queue::StateCounts>> read_owner_counts(Connection& conn, std::string const& owner);
// When the oldest queued job of the owner's in each queue became ready.
DbResult<std::map<std::string, core::TimePoint>> read_owner_oldest_ready(Connection& conn, std::string const& owner);
// The owner's jobs changed at or after `since_us` (any attempt that ended since is among them).
// An attempt history that does not parse is an error, not a row left out.
DbResult<std::vector<queue::OwnerJobRow>> read_owner_window(Connection& conn, std::string const& owner,
                                                            std::int64_t since_us);

}  // namespace corral::postgres
