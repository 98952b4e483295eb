// Replies as a client reads them: the JSON of a reply body, and the jobs in it, through the
// decoders of job_json.hpp.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string_view>
#include <vector>

namespace corral::wire {

// The deepest json_max_depth a server can be configured with (config.cpp checks 1..1024).
inline constexpr std::size_t kMaxConfigurableDepth = 1024;
// The deepest reply a server sends. A job's JSON fields (payload, result, checkpoint, metadata)
// came in a request body of at most json_max_depth levels, one level down; a list or fetch reply
// holds them three levels down ({"jobs": [{"payload": ...}]}), so two levels deeper than the
// body they came in. A client reads every reply under this bound, whatever the server's setting,
// and no deeper: a reply that nests without end is refused, not followed down the stack.
inline constexpr std::size_t kMaxReplyDepth = kMaxConfigurableDepth + 2;

// The body of a reply as JSON, nested at most kMaxReplyDepth levels; invalid_json otherwise.
core::Result<boost::json::value> parse_reply(std::string_view body);

// {"jobs": [job, ...]}, the reply to fetch, list and a batch enqueue: every job, read by
// job_from_json. invalid_argument naming the first job that is malformed ("jobs[2].status ...").
core::Result<std::vector<core::Job>> jobs_from_json(boost::json::value const& reply);

}  // namespace corral::wire
