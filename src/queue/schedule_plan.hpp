// The rules both backends apply to stored schedules (queue/schedules.hpp), on top of core's cron
// and tick rules: when a saved schedule first runs, and what a due one enqueues.
#pragma once

#include "core/job.hpp"
#include "queue/schedules.hpp"

#include <optional>

namespace corral::queue {

// The first tick after `now`, none while paused or when the expression has no tick to come;
// invalid_argument for a bad cron or timezone (naming the field).
core::Result<std::optional<core::TimePoint>> first_run(Schedule const& schedule, core::TimePoint now);

// `s` as save_schedule stores it over `existing` (the record of that name, if any) at `now`:
// SaveMode's rules, the first run from now, and the existing record's last tick and creation.
core::Result<Schedule> to_save(Schedule s, std::optional<Schedule> const& existing, SaveMode mode, core::TimePoint now);

// A due schedule's tick, as decided: the request to enqueue (none when the tick is skipped or
// its body refused), and the schedule as it is to be stored after it (next_run_at moved on;
// last_tick_at set when a job is enqueued; its last_job_id is the caller's to set).
struct TickPlan {
  std::optional<core::EnqueueRequest> enqueue;
  ScheduleTick tick;
  Schedule after;
};

// `previous`: the schedule's last job, if it still exists.
TickPlan plan_tick(Schedule const& schedule, core::TimePoint now, std::optional<core::JobState> previous,
                   JobBodyParser const& parse);

}  // namespace corral::queue
