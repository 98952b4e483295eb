// The jobs in a reply, read by wire's decoders: the inverse of what the server wrote, so a job
// reads back whole (its payload at any depth the server accepted) or fails with a reason.
#pragma once

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/job.hpp"

#include <vector>

namespace corral::client {

// A reply holding one job (get, enqueue, heartbeat, complete, ...).
core::Result<core::Job> job_of(Response const& reply);
// A reply holding {"jobs": [...]} (fetch, list, batch enqueue).
core::Result<std::vector<core::Job>> jobs_of(Response const& reply);

}  // namespace corral::client
