// What the handlers do with the scope of the request's key (authorize.hpp checked the route):
// an owner's key enqueues as that owner and lists, counts and acts on that owner's jobs only; a
// key scoped to queues fetches from those only. Each is a no-op for a request without a key, or
// with a key of no such scope.
#pragma once

#include "http/message.hpp"
#include "api/requests.hpp"
#include "core/enqueue_spec.hpp"
#include "core/job.hpp"
#include "wire/event_query.hpp"

#include <optional>
#include <string>
#include <vector>

namespace corral::http {

// The job gets the key's owner, whatever the body said.
void enqueue_as_owner(Request const& req, core::EnqueueRequest& spec);

// Keeps `filter` to the key's owner; a filter naming another owner is refused (forbidden).
std::optional<core::Error> scope_filter(Request const& req, api::JobFilter& filter);

// Keeps the global event stream to the key's owner's jobs: an owner filter naming another owner,
// and the stream's stats (counts of every owner), are refused (forbidden).
std::optional<core::Error> scope_events(Request const& req, wire::EventQuery& query);

// A fetch from a queue outside the key's queues is refused (forbidden).
std::optional<core::Error> check_queues(Request const& req, std::vector<std::string> const& queues);

}  // namespace corral::http
