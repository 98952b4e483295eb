// What a push endpoint receives: the job as GET /api/v1/jobs/{id} shows it, the lease to report
// on, and where to report, so that an endpoint that answers 202 can finish the job later.
//
//   {"job": {...}, "lease_token": "...", "lease_expires_at": "RFC 3339",
//    "report": {"complete": URL, "fail": URL, "heartbeat": URL}}
//
// The report URLs are the API's own routes under the public_url setting; with no public_url they
// are null (the endpoint cannot know the server's address, so it cannot answer 202 usefully).
#pragma once

#include "core/job.hpp"

#include <string>
#include <string_view>

namespace corral::push {

// `job` as fetch returned it: running, with its lease.
std::string push_body(core::Job const& job, std::string_view public_url);

}  // namespace corral::push
