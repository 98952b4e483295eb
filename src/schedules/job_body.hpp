// A schedule's job as stored: the enqueue body's JSON text, read by the same code that checks it
// when the schedule is saved (wire::parse_schedule_job), itself the code POST /api/v1/jobs runs.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/error.hpp"

#include <string_view>

namespace corral::schedules {

// queue::JobBodyParser: errors name the field under "job".
core::Result<core::EnqueueRequest> parse_job_text(std::string_view text);

}  // namespace corral::schedules
