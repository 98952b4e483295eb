// The live streams: GET /api/v1/events (every event, filtered) and GET /api/v1/jobs/{id}/events
// (one job's, ending after its last). Server-Sent Events over a chunked reply (event_stream.hpp).
#pragma once

#include "http/router.hpp"

namespace corral::http::streams {

boost::asio::awaitable<Response> events(Request& req, Context& ctx);
boost::asio::awaitable<Response> job_events(Request& req, Context& ctx);

}  // namespace corral::http::streams
