// Recurring schedules in PostgreSQL (queue/schedules.hpp): the statements on the table of
// migration 009. Reads and deletes commit on their own; saves and ticks run inside a Batch
// (schedule_ops.hpp), so a tick's job and the schedule's next run time commit together.
//
// Not thread-safe: each call uses the connection it is given.
#pragma once

#include "core/job_state.hpp"
#include "queue/postgres/connection.hpp"
#include "queue/schedules.hpp"

#include <optional>
#include <vector>

namespace corral::postgres {

core::Result<queue::Schedule> schedule_get(Connection& conn, std::string const& name);
core::Result<std::vector<queue::Schedule>> schedule_list(Connection& conn);
core::Result<void> schedule_delete(Connection& conn, std::string const& name);

// Inside a transaction: the schedule of that name, its row locked until the commit.
DbResult<std::optional<queue::Schedule>> schedule_lock(Connection& conn, std::string const& name);
// Inside a transaction: up to `limit` schedules due at `now`, locked, those another node holds
// skipped, so no two nodes run one tick.
DbResult<std::vector<queue::Schedule>> schedule_lock_due(Connection& conn, core::TimePoint now, std::size_t limit);
DbResult<void> schedule_write(Connection& conn, queue::Schedule const& s);
DbResult<std::optional<core::TimePoint>> schedule_next_due(Connection& conn);
// The same on its own, with the database's clock: whether a run has anything to do.
core::Result<queue::ScheduleRunResult> schedule_peek_due(Connection& conn);
DbResult<std::optional<core::JobState>> schedule_job_state(Connection& conn, std::string const& id);

}  // namespace corral::postgres
