// The W3C Trace Context `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header):
// VERSION-TRACE_ID-PARENT_ID-FLAGS, e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.
// A job enqueued with one carries its trace id; a worker passes the job's trace on to the command
// it runs, as the parent of a span of its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corral::wire {

// The trace id of a valid header, or nothing: as the spec says, a header that is not valid is
// ignored (never an error), and the receiver starts a trace of its own. Valid: version 2 lowercase
// hex digits other than ff; then, for version 00, exactly a 32-digit trace id and a 16-digit
// parent id, lowercase hex and not all zero, and 2 hex digits of flags; a later version may follow
// these with "-" and more, which is ignored.
std::optional<std::string> trace_id_of_traceparent(std::string_view header);

// "00-TRACE_ID-SPAN_ID-01": a sampled trace context naming span_id as the parent.
std::string make_traceparent(std::string_view trace_id, std::string_view span_id);

}  // namespace corral::wire
