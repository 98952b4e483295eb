// The route table as data: (method, pattern) -> handler, with what the handler reads besides the
// path. Patterns are "/api/v1/jobs/{id}"; a {name} segment matches one path segment and lands in
// Request::params. Routes are tried in table order, so a literal route ("/jobs/batch") listed
// before a parameter route wins.
//
// The router answers, before any handler runs: 400 to a request asking to switch protocols
// (Upgrade: websocket; Corral speaks HTTP/1.1 only), 404 not_found to an unknown path, 405 with
// an Allow header to a known path with another method, 415 to a body that is not JSON, and 400
// to a query string or body fields sent to a route that reads none (see Reads). Then, once any
// API key exists, what the route needs of the caller's key (Access, http/authorize.hpp): 401
// without a valid key, 403 when its role or scope does not allow the route.
#pragma once

#include "auth/role.hpp"
#include "http/admission.hpp"
#include "http/message.hpp"
#include "api/stats.hpp"
#include "outbound/destination.hpp"
#include "queue/queue_service.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>

namespace corral::http {
class Authenticator;
}  // namespace corral::http

namespace corral::schedules {
class Ticker;
}  // namespace corral::schedules

namespace corral::webhooks {
class Dispatcher;
}

namespace corral::push {
class Dispatcher;
}

namespace corral::http {

class ServerMetrics;
}  // namespace corral::http

namespace corral::sqs {
class Service;
}  // namespace corral::sqs

namespace corral::http {

// What every handler may use. Runs on the server's io_context; the queue is thread-safe.
struct Context {
  queue::QueueService& queue;
  wire::JsonLimits json_limits;
  std::size_t max_batch_jobs = 1000;
  Admission* admission = nullptr;   // the server's limits; none when null
  ServerMetrics* metrics = nullptr; // the server's instruments for /metrics; none when null
  std::chrono::milliseconds stream_keepalive{15'000};   // an idle event stream sends a comment this often
  api::HealthThresholds health;     // what GET /api/v1/health judges by
  outbound::AllowList allowed_destinations;   // the hosts a callback_url may name
  webhooks::Dispatcher* webhooks = nullptr;   // sends the outbox's deliveries; the server starts it
  push::Dispatcher* push = nullptr;           // POSTs push queues' jobs; the server starts it
  schedules::Ticker* schedules = nullptr;     // runs due schedules; the server starts it
  sqs::Service* sqs = nullptr;      // Amazon SQS on this port (sqs/service.hpp); off when null
  Authenticator* auth = nullptr;    // API keys (http/authenticator.hpp); every route open when null
};

using Handler = boost::asio::awaitable<Response> (*)(Request& req, Context& ctx);

// What the handler reads besides the path: nothing, the JSON body or the query string, with a
// wire::parse_* function that refuses unknown fields and parameters. The router refuses what a
// route does not read: any query parameter, and any field in the body (empty and {} pass).
enum class Reads { nothing, body, query };

// What a route needs of the caller's key (auth/role.hpp). It has no default constructor, so a
// route that does not say who may call it does not compile.
struct Access {
  constexpr Access(auth::Need n) : need(n) {}  // NOLINT(google-explicit-constructor): the table reads better
  auth::Need need;
};

struct Route {
  Method method;
  std::string_view pattern;
  Handler handler;
  Access access;
  Reads reads = Reads::nothing;
};

std::span<Route const> routes();

// Finds the route for req (filling req.params) and runs it, or answers one of the errors above;
// times the request for ctx.metrics, by its route's pattern. A POST that speaks SQS (an
// X-Amz-Target header, or a form with an Action) goes to ctx.sqs before any route is looked at:
// no route takes such a request, so none is shadowed.
boost::asio::awaitable<Response> dispatch(Request& req, Context& ctx);

}  // namespace corral::http
