// The schedules of the config file ([schedules.NAME]): saved when the server starts, before it
// serves, each created or brought up to date (its last tick and job kept).
#pragma once

#include "queue/queue_service.hpp"

#include <vector>

namespace corral::schedules {

// Checks each schedule's job as an enqueue is checked, then saves them all; the first error names
// the schedule ("schedules.nightly.job.priority must be ..."). Blocks until done.
core::Result<void> save_configured(queue::QueueService& queue, std::vector<queue::Schedule> const& schedules);

}  // namespace corral::schedules
