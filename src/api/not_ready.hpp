// Why a job that has not ended is not running: what GET /api/v1/jobs/{id} tells in not_ready, so
// that a job that sits "queued" or "waiting" explains itself rather than look stuck.
//
// Worked out when the job is read, from the job and its queue's settings and counts as they are
// then; never stored. A queued job of a queue with room and no limit it must wait on has none: it
// is ready, and waits only for a worker to fetch it (health says when a queue has none).
#pragma once

#include "api/requests.hpp"
#include "core/job.hpp"

#include <optional>
#include <string>

namespace corral::api {

struct NotReady {
  // parents | scheduled | retrying | queue_paused | concurrency_limit | rate_limit
  std::string code;
  std::string message;
  bool operator==(NotReady const&) const = default;
};

// `queue`: the job's queue as listed (none: a queue with nothing stored of it).
std::optional<NotReady> why_not_ready(core::Job const& job, QueueInfo const* queue);

}  // namespace corral::api
