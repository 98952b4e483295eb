// The route table as data: (method, pattern) -> handler. Patterns are "/api/v1/jobs/{id}"; a
// {name} segment matches one path segment and lands in Request::params. An unknown path is 404
// not_found; a known path with another method is 405 with an Allow header. Routes are tried in
// table order, so a literal route ("/jobs/batch") listed before a parameter route wins.
#pragma once

#include "http/admission.hpp"
#include "http/message.hpp"
#include "queue/queue_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <span>
#include <string_view>

namespace corral::http {

// What every handler may use. Runs on the server's io_context; the queue is thread-safe.
struct Context {
  queue::QueueService& queue;
  wire::JsonLimits json_limits;
  std::size_t max_batch_jobs = 1000;
  Admission* admission = nullptr;   // the server's limits; none when null
};

using Handler = boost::asio::awaitable<Response> (*)(Request& req, Context& ctx);

struct Route {
  Method method;
  std::string_view pattern;
  Handler handler;
};

std::span<Route const> routes();

// Finds the route for req (filling req.params) and runs it; 404/405/415 as above.
boost::asio::awaitable<Response> dispatch(Request& req, Context& ctx);

}  // namespace corral::http
