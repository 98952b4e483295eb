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
// The reply to POST /jobs/bulk: {"action", "dry_run", "matched", "changed", "skipped"}, or on a
// dry run {"action", "dry_run", "matched", "would_change"}.
boost::json::object to_json(api::BulkResult const& r);
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

// Opaque list cursors: a position in one sort's order.
std::string encode_cursor(api::ListCursor const& cursor);
std::optional<api::ListCursor> decode_cursor(std::string_view cursor);
// "newest", "oldest", "updated".
std::optional<api::ListSort> parse_list_sort(std::string_view text);

// A job's summary (GET /jobs?view=summary): every field of to_json(job) but payload, result,
// checkpoint and attempts, which are absent (not null).
boost::json::object to_summary_json(core::Job const& job, core::TimePoint now = reply_time());

}  // namespace corral::wire
