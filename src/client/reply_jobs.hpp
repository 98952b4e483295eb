// The jobs in a reply, read by wire's decoders: the inverse of what the server wrote, so a job
// reads back whole (its payload at any depth the server accepted) or fails with a reason.
#pragma once

#include "client/client.hpp"
#include "core/error.hpp"
#include "core/job.hpp"

#include <string>
#include <vector>

namespace corral::client {

// A reply holding one job (get, enqueue, heartbeat, complete, ...).
core::Result<core::Job> job_of(Response const& reply);
// A reply holding {"jobs": [...]} (fetch, list, batch enqueue).
core::Result<std::vector<core::Job>> jobs_of(Response const& reply);

// A job named by its id and status: what an enqueue with a minimal reply gives back.
struct JobRef {
  std::string id;
  core::JobState status = core::JobState::queued;
  bool operator==(JobRef const&) const = default;
};

// Each job of a {"jobs": [{"id", "status"}, ...]} reply (an enqueue with Prefer: return=minimal).
core::Result<std::vector<JobRef>> job_refs_of(Response const& reply);
// The answers of a POST /complete reply ({"results": [{"id", "status"} or {"id", "error"}]}), one
// per item sent: empty for a completion that counted, else "CODE: MESSAGE". An unreadable reply
// or a missing answer reads as an error of its own for the items it leaves unanswered.
std::vector<std::string> completion_results(Response const& reply, std::size_t sent);

}  // namespace corral::client
