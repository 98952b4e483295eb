// The query strings of the live streams: GET /api/v1/events?queue=&type=&owner=&kind=
// &last_event_id=&stats= and GET /api/v1/jobs/{id}/events?last_event_id=, and the Last-Event-ID
// header. Each filter may repeat (?kind=started&kind=completed) or list values comma-separated
// (?kind=started,completed); an event passes when it matches one value of every filter given.
#pragma once

#include "core/error.hpp"
#include "core/job_event.hpp"
#include "wire/request_json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::wire {

struct EventFilter {
  std::vector<std::string> queues, types, owners;   // empty: any
  std::vector<core::JobEventKind> kinds;            // empty: any
  std::optional<std::string> job_id;                // one job's stream

  bool matches(core::JobEvent const& e) const;
};

struct EventQuery {
  EventFilter filter;
  std::optional<std::int64_t> last_event_id;   // resume after this event
  bool stats = false;                          // add a stats message once a second
};

// GET /api/v1/events. Unknown kinds, malformed names and unknown parameters get invalid_argument.
core::Result<EventQuery> parse_event_query(QueryParams const& q);
// GET /api/v1/jobs/{id}/events: only last_event_id.
core::Result<EventQuery> parse_job_event_query(QueryParams const& q, std::string job_id);
// A Last-Event-ID header or last_event_id parameter: a whole number 0 or more.
core::Result<std::int64_t> parse_last_event_id(std::string_view text, std::string_view field);

}  // namespace corral::wire
