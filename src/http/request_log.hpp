// Request ids and the log line of each reply.
//
// Every reply carries X-Request-Id: the client's own when it sent a sane one (1 to 64 characters
// of letters, digits and . _ : + / = -, so that an id can neither break a log line nor carry what
// a header must not), else one the server makes up (16 hex digits). Framing errors and refused
// connections, answered before or without a parsed request, get one too.
//
// Each reply is logged with its request_id, method, path, status and, for a route on one job, its
// job_id (and the trace_id of a valid traceparent header): at debug, or at warn for a 5xx (a
// refusal for want of capacity or storage, or a bug), the replies an operator acts on.
#pragma once

#include "http/message.hpp"

#include <string>
#include <string_view>

namespace corral::http {

// `incoming` (an X-Request-Id header, possibly empty) if it is sane, else a new id.
std::string request_id_of(std::string_view incoming);

// The line of a reply to a parsed request.
void log_reply(Request const& req, int status);
// The line of a reply sent without a parsed request (a framing error, a refused connection).
void log_refusal(std::string const& request_id, int status, std::string_view why);

}  // namespace corral::http
