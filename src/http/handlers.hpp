// Every endpoint's handler: parse, call the queue service, encode. No SQL, no state rules and no
// status code other than the success one: errors go through respond::error.
#pragma once

#include "http/respond.hpp"
#include "http/router.hpp"
#include "metrics/exposition.hpp"

namespace corral::http {

// Parses the JSON body and hands it to `parse` (a wire::parse_* function).
template <class Parse>
auto parse_body_with(Request const& req, Context const& ctx, Parse parse)
    -> decltype(parse(std::declval<boost::json::value const&>())) {
  auto body = wire::parse_body(req.body, ctx.json_limits);
  if (!body) return body.error();
  return parse(*body);
}

namespace jobs {
boost::asio::awaitable<Response> enqueue(Request& req, Context& ctx);
boost::asio::awaitable<Response> enqueue_batch(Request& req, Context& ctx);
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
boost::asio::awaitable<Response> list(Request& req, Context& ctx);
boost::asio::awaitable<Response> cancel(Request& req, Context& ctx);
boost::asio::awaitable<Response> retry(Request& req, Context& ctx);
boost::asio::awaitable<Response> remove(Request& req, Context& ctx);
boost::asio::awaitable<Response> prune(Request& req, Context& ctx);
boost::asio::awaitable<Response> bulk(Request& req, Context& ctx);
}  // namespace jobs

namespace batches {
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
}  // namespace batches

namespace leases {
boost::asio::awaitable<Response> fetch(Request& req, Context& ctx);
boost::asio::awaitable<Response> heartbeat(Request& req, Context& ctx);
boost::asio::awaitable<Response> complete(Request& req, Context& ctx);
boost::asio::awaitable<Response> complete_batch(Request& req, Context& ctx);
boost::asio::awaitable<Response> fail(Request& req, Context& ctx);
boost::asio::awaitable<Response> release(Request& req, Context& ctx);
}  // namespace leases

namespace queues {
boost::asio::awaitable<Response> list(Request& req, Context& ctx);
boost::asio::awaitable<Response> pause(Request& req, Context& ctx);
boost::asio::awaitable<Response> resume(Request& req, Context& ctx);
boost::asio::awaitable<Response> update(Request& req, Context& ctx);
}  // namespace queues

namespace schedules {
boost::asio::awaitable<Response> create(Request& req, Context& ctx);
boost::asio::awaitable<Response> list(Request& req, Context& ctx);
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
boost::asio::awaitable<Response> update(Request& req, Context& ctx);
boost::asio::awaitable<Response> pause(Request& req, Context& ctx);
boost::asio::awaitable<Response> resume(Request& req, Context& ctx);
boost::asio::awaitable<Response> remove(Request& req, Context& ctx);
}  // namespace schedules

namespace stats {
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
}  // namespace stats

namespace health {
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
// The /metrics families of the queues' health: oldest ready age, idle with work, workers seen.
boost::asio::awaitable<void> write_metrics(Context& ctx, metrics::Exposition& out);
}  // namespace health

namespace probes {
boost::asio::awaitable<Response> livez(Request& req, Context& ctx);
boost::asio::awaitable<Response> readyz(Request& req, Context& ctx);
boost::asio::awaitable<Response> metrics(Request& req, Context& ctx);
}  // namespace probes

namespace keys {
boost::asio::awaitable<Response> create(Request& req, Context& ctx);
boost::asio::awaitable<Response> list(Request& req, Context& ctx);
boost::asio::awaitable<Response> revoke(Request& req, Context& ctx);
boost::asio::awaitable<Response> sqs_credentials(Request& req, Context& ctx);
}  // namespace keys

namespace sessions {
// /api/v1/session: the dashboard's sign-in (docs/security.md).
boost::asio::awaitable<Response> sign_in(Request& req, Context& ctx);
boost::asio::awaitable<Response> get(Request& req, Context& ctx);
boost::asio::awaitable<Response> sign_out(Request& req, Context& ctx);
}  // namespace sessions

namespace meta {
// GET /api/v1/openapi.json (http/openapi.hpp).
boost::asio::awaitable<Response> openapi(Request& req, Context& ctx);
}  // namespace meta

}  // namespace corral::http
