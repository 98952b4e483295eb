// Job and queue values -> JSON, every field, timestamps RFC 3339 UTC. Shared by the server and
// the client so the two cannot disagree.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "api/requests.hpp"

#include <boost/json/value.hpp>

#include <chrono>

namespace corral::wire {

// The time a reply is written, which eta_s counts from.
inline core::TimePoint reply_time() { return std::chrono::floor<core::Micros>(std::chrono::system_clock::now()); }

// Every field of the model. lease_token appears only when `with_lease_token` (fetch replies).
// JSON-text fields (payload, result, checkpoint, metadata) are embedded as JSON, not strings;
// absent optionals are null. eta_s is the estimate's time left as seen at `now`; the estimate's
// samples are storage's alone.
boost::json::object to_json(core::Job const& job, bool with_lease_token = false, core::TimePoint now = reply_time());
// The same document as serialize_json(to_json(job, with_lease_token)), written directly (the server's
// replies); append_ adds it to `out`, for arrays of jobs.
std::string to_json_text(core::Job const& job, bool with_lease_token = false, core::TimePoint now = reply_time());
void append_json_text(std::string& out, core::Job const& job, bool with_lease_token = false,
                      core::TimePoint now = reply_time());
boost::json::object to_json(api::QueueInfo const& q);
// {"queued": n, "scheduled": n, ...}: every state, zeros too.
boost::json::object counts_json(api::StateCounts const& counts);
boost::json::object to_json(core::Error const& e);   // {"error": {"code", "message"}}
// The parts of a job's JSON that other documents (an event) carry too, written the same way: the
// progress object, an error {code, message, retryable}, and stored JSON text as a JSON value.
boost::json::object to_json(core::Progress const& p);
boost::json::object to_json(core::JobError const& e);
boost::json::value json_value_of_text(std::string_view text);

// The inverse of to_json(Job), for clients and tests. invalid_argument if a field is malformed.
core::Result<core::Job> job_from_json(boost::json::value const& v);

// Opaque list cursors.
std::string encode_cursor(std::int64_t before_seq);
std::optional<std::int64_t> decode_cursor(std::string_view cursor);

}  // namespace corral::wire
