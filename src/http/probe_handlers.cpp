// Probes at the root, as orchestrators expect: /livez (the process serves) and /readyz (it can
// take writes).
#include "http/handlers.hpp"

namespace corral::http::probes {

using boost::asio::awaitable;

// GET /livez
awaitable<Response> livez(Request&, Context&) { co_return respond::json(200, {{"status", "ok"}}); }

// GET /readyz: 503 with the reason when the database refuses writes or the server is stopping.
awaitable<Response> readyz(Request&, Context& ctx) {
  auto r = ctx.queue.readiness();
  if (r.ready) co_return respond::json(200, {{"status", "ready"}});
  co_return respond::json(503, {{"status", "not_ready"}, {"reason", r.reason}});
}

}  // namespace corral::http::probes
