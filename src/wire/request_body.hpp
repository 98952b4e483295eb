// Request values -> the JSON bodies the server reads them from: what the C++ client sends. Each
// is the inverse of its parser in request_json.hpp (parse_fetch(fetch_body(r)) gives r back, and
// tests/wire/request_body_test.cpp holds every pair to it), so the client and the server share
// one list of field names and units and cannot disagree on them.
//
// JSON-text fields (payload, metadata, checkpoint, result) go out as the JSON they hold; absent
// optionals are left out, so the server applies its defaults. Numbers are doubles: send a body
// as serialize_json (json_text.hpp) writes it, 300 and 0.1 rather than 3E2 and 1E-1.
#pragma once

#include "api/requests.hpp"
#include "core/enqueue_spec.hpp"

#include <boost/json/object.hpp>

#include <span>

namespace corral::wire {

boost::json::object enqueue_body(core::EnqueueRequest const& r);
// {"jobs": [enqueue_body, ...]}: what parse_enqueue_batch reads.
boost::json::object enqueue_batch_body(std::span<core::EnqueueRequest const> jobs);
// FetchRequest::abandoned is the server's own business and is not sent.
boost::json::object fetch_body(api::FetchRequest const& r);
boost::json::object heartbeat_body(api::HeartbeatRequest const& r);
boost::json::object complete_body(api::CompleteRequest const& r);
boost::json::object fail_body(api::FailRequest const& r);
boost::json::object release_body(api::ReleaseRequest const& r);

}  // namespace corral::wire
