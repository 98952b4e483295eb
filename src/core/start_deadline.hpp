// The start-by deadline of a job (start_by): a job that has not started by then is of no use to
// whoever enqueued it, so the server cancels it with error code `expired` rather than run it late.
//
// The deadline binds only until the job first starts: a job that ran and is retrying, or was
// released back, has been started, and its later runs are governed by its attempts and backoff.
// Pure: `now` is an argument.
#pragma once

#include "core/job.hpp"

#include <optional>

namespace corral::core {

// The error a job cancelled by its start-by deadline carries.
JobError start_expired_error();

// start_by while the job waits (queued, scheduled or waiting) and has never started; else none.
std::optional<TimePoint> pending_start_by(Job const& job);

// Whether the job's start-by deadline has passed (at `now` the deadline counts as passed).
bool start_expired(Job const& job, TimePoint now);

}  // namespace corral::core
