// Stats for a key scoped to an owner (GET /api/v1/stats with such a key): the window's outcomes,
// durations and errors worked out from that owner's jobs, since the rollups (rollup.hpp) are kept
// by (queue, type) and hold no owner. Each backend reads the owner's jobs changed within the
// window (jobs_by_updated) and hands them here; counts by state and the oldest ready work it
// reads with the owner in its WHERE clause.
//
// What differs from the rollups, and why:
//   - only jobs still stored count: a pruned or deleted job drops out of the window, as its
//     attempts go with it;
//   - queue wait is known for a job's latest start only: an earlier attempt's due time was
//     overwritten by the retry that followed it;
//   - workers are left out: a worker's sightings and leases are of every owner's jobs on its
//     queues, so they would show a tenant the others' activity.
// The cost grows with the owner's jobs changed in the window, not with the whole table.
//
// Pure: no I/O, no clock.
#pragma once

#include "api/stats.hpp"
#include "core/job.hpp"
#include "queue/rollup.hpp"

#include <map>

#include <span>
#include <string>
#include <vector>

namespace corral::queue {

// The columns of one of the owner's jobs that stats need.
struct OwnerJobRow {
  std::string queue;
  std::string type;
  core::JobState status = core::JobState::queued;
  core::TimePoint run_at{};
  std::vector<core::Attempt> attempts;
};

// Fills the window's totals, series, durations and errors of `stats` (whose window and now are
// set) from the jobs, of the queue and type `query` names if it names them, counting each attempt
// as the rollups count its events.
void fill_window_from_jobs(api::Stats& stats, std::span<OwnerJobRow const> jobs, api::StatsQuery const& query);

// The age at stats.now of the oldest ready job of each queue (of the queue `query` names, if it
// names one), from when each became ready.
void fill_oldest_ready(api::Stats& stats, std::map<std::string, core::TimePoint> const& oldest,
                       api::StatsQuery const& query);

// The queues holding the owner's jobs (`counts`: the owner's, by queue, type and priority), each
// with its settings as `all` lists them and the owner's counts. A queue without the owner's jobs
// is left out, even one configured or paused: its name alone may be another tenant's.
std::vector<api::QueueInfo> owner_queue_infos(std::vector<api::QueueInfo> const& all,
                                              std::map<CountKey, api::StateCounts> const& counts);

}  // namespace corral::queue
