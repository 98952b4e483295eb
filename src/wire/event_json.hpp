// A job event as the API shows it, and the Server-Sent Events framing the live streams send it in.
//
// The event's JSON: kind, seq, job_id, queue, type, owner, priority, status, attempt, worker_id,
// trace_id and at always (owner, worker_id and trace_id null when the job has none); progress,
// result (the JSON value, not a string), error {code, message, retryable}, run_at, queue_wait_s
// and run_time_s only on the events that carry them. Shared by the server and the client.
#pragma once

#include "core/job_event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::wire {

// Written straight to text (json_writer.hpp): every live stream writes every event it sends.
void append_json_text(std::string& out, core::JobEvent const& e);
std::string to_json_text(core::JobEvent const& e);

// The event as one SSE message: its seq as the id, its kind as the event name, its JSON as data.
void append_sse_event(std::string& out, core::JobEvent const& e);

// One SSE message: "id: ID\n" (when there is one), "event: NAME\n" (when there is one), then
// "data: DATA\n" and the blank line that ends it. `data` is one line (compact JSON has no
// newline); a message without data carries only its id, which moves the reader's position.
void append_sse_message(std::string& out, std::optional<std::int64_t> id, std::string_view event,
                        std::string_view data);
// A comment line, which readers ignore: keeps proxies from closing an idle stream.
void append_sse_comment(std::string& out, std::string_view text);

}  // namespace corral::wire
