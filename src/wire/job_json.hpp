// Job and queue values -> JSON, every field, timestamps RFC 3339 UTC. Shared by the server and
// the client so the two cannot disagree.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "api/requests.hpp"

#include <boost/json/value.hpp>

namespace corral::wire {

// Every field of the model. lease_token appears only when `with_lease_token` (fetch replies).
// JSON-text fields (payload, result, checkpoint, metadata) are embedded as JSON, not strings;
// absent optionals are null.
boost::json::object to_json(core::Job const& job, bool with_lease_token = false);
// The same document as serialize_json(to_json(job, with_lease_token)), written directly (the server's
// replies); append_ adds it to `out`, for arrays of jobs.
std::string to_json_text(core::Job const& job, bool with_lease_token = false);
void append_json_text(std::string& out, core::Job const& job, bool with_lease_token = false);
boost::json::object to_json(api::QueueInfo const& q);
// {"queued": n, "scheduled": n, ...}: every state, zeros too.
boost::json::object counts_json(api::StateCounts const& counts);
boost::json::object to_json(core::Error const& e);   // {"error": {"code", "message"}}

// The inverse of to_json(Job), for clients and tests. invalid_argument if a field is malformed.
core::Result<core::Job> job_from_json(boost::json::value const& v);

// Opaque list cursors.
std::string encode_cursor(std::int64_t before_seq);
std::optional<std::int64_t> decode_cursor(std::string_view cursor);

}  // namespace corral::wire
