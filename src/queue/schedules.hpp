// Recurring schedules as the queue seam knows them: a stored record per schedule, and the call
// that runs the due ones. The server's ticker (schedules/ticker.hpp) calls run_due_schedules
// when the earliest next_run_at comes; each backend then, for each due schedule, enqueues the
// tick's job (if core::decide_tick says so) and stores the next run time in one commit, so a
// crash, a restart or a second node never enqueues a tick twice.
//
// The record keeps the job as the enqueue body's JSON text: the backends do not speak the API's
// JSON, so the caller hands run_due_schedules the parser (as it hands webhooks their body).
#pragma once

#include "api/schedule.hpp"
#include "core/enqueue_spec.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::queue {

using api::Schedule;

// How save_schedule treats a name already taken: create refuses it (wrong_state), replace
// needs it (not_found without), upsert takes either. A saved schedule keeps its last_tick_at,
// last_job_id and created_at; every other field is the one given.
enum class SaveMode { create, replace, upsert };

// The enqueue body's JSON text -> the request a tick enqueues (wire::parse_enqueue).
using JobBodyParser = std::function<core::Result<core::EnqueueRequest>(std::string_view)>;

struct ScheduleRunRequest {
  JobBodyParser parse;
  std::size_t limit = 100;   // due schedules handled per call; more come at the next call
};

struct ScheduleTick {
  std::string schedule;
  core::TimePoint tick{};
  std::optional<std::string> job_id;   // none: the tick was skipped (overlap, catch_up) or refused
  std::optional<std::string> error;    // why the job body was refused
};

struct ScheduleRunResult {
  std::vector<ScheduleTick> ticks;
  std::optional<core::TimePoint> next_due;   // the earliest next_run_at of the schedules not paused
  core::TimePoint now{};                     // the backend's clock when it ran
};

}  // namespace corral::queue
