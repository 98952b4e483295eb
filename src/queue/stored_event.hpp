// An event as the PostgreSQL backend keeps it in corral_events, for every node to read back: the
// storage layer's own JSON, like stored_json, so the API's shape of an event can change without
// making stored events unreadable. Times are integer microseconds since the Unix epoch; the
// progress is kept as in a job row. The sequence number and the node are columns of their own.
#pragma once

#include "core/error.hpp"
#include "core/job_event.hpp"

#include <string>
#include <string_view>

namespace corral::queue {

std::string stored_event(core::JobEvent const& e);
// The inverse (seq and local are left to the caller); malformed text is invalid_argument.
core::Result<core::JobEvent> parse_stored_event(std::string_view text);

}  // namespace corral::queue
