// Schedules on the wire: the bodies of POST and PATCH /api/v1/schedules, and the schedule object.
//
// The bodies are checked here as far as JSON can tell: the fields, their types, the overlap and
// catch_up names, and the job as an enqueue body (parse_enqueue_at, the code POST /api/v1/jobs
// runs, so errors name "job.priority" and the like). The cron expression and the time zone are
// checked where the first run is computed (queue/schedule_plan.hpp), with errors naming "cron"
// and "timezone".
#pragma once

#include "api/schedule.hpp"
#include "core/enqueue_spec.hpp"
#include "core/error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace corral::wire {

// {name, cron, job, timezone?, overlap?, catch_up?, paused?}.
core::Result<api::Schedule> parse_schedule(boost::json::value const& v);
// {cron?, job?, timezone?, overlap?, catch_up?, paused?}: the name is the path's.
core::Result<api::ScheduleChange> parse_schedule_change(boost::json::value const& v);

boost::json::object to_json(api::Schedule const& s);

// A schedule's `job`: an enqueue body, held to what an enqueue is, without idempotency_key (each
// tick sets its own); errors name the field under "job." ("job.priority must be ...").
core::Result<core::EnqueueRequest> parse_schedule_job(boost::json::value const& job);

}  // namespace corral::wire
