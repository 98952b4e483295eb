// Recurring schedules in the embedded database (queue/schedules.hpp): plain statements on the
// table of migration 010. Writes run on the writer thread inside its batch's transaction; reads
// on a reader connection.
#pragma once

#include "core/job_state.hpp"
#include "queue/schedules.hpp"
#include "queue/sqlite/database.hpp"

#include <optional>
#include <vector>

namespace corral::sqlite {

core::Result<std::optional<queue::Schedule>> schedule_get(Database& db, std::string const& name);
core::Result<std::vector<queue::Schedule>> schedule_list(Database& db);
// Writes `s` as given (SaveMode's rules are the caller's, with schedule_get).
core::Result<void> schedule_write(Database& db, queue::Schedule const& s);
// not_found when there is none.
core::Result<void> schedule_delete(Database& db, std::string const& name);
// Up to `limit` schedules not paused whose next_run_at is at or before `now`, earliest first.
core::Result<std::vector<queue::Schedule>> schedule_due(Database& db, core::TimePoint now, std::size_t limit);
// The earliest next_run_at of the schedules not paused.
core::Result<std::optional<core::TimePoint>> schedule_next_due(Database& db);
// The state of the job `id`, none if it is gone.
core::Result<std::optional<core::JobState>> schedule_job_state(Database& db, std::string const& id);

}  // namespace corral::sqlite
