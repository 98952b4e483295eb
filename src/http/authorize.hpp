// The API key check of every request (docs/security.md), run by the router between finding the
// route and running its handler, and the audit line of each change made with a key.
//
// While no key exists (authenticator.hpp) every route is open, as before keys existed. Once one
// does: a route of Need::open stays open; any other needs a valid key (401 unauthenticated with
// WWW-Authenticate: Bearer otherwise) that is under its rate limit when the request arrives (429
// rate_limited with Retry-After otherwise; http/rate_limiter.hpp), whose role allows the route's
// need and whose scope the route can keep to (403 forbidden otherwise). On a route about one job
// (/jobs/{id}...), a key scoped to an owner gets 404 for another owner's job, as if it did not
// exist, and a worker key scoped to queues gets 403 for a job of another queue.
#pragma once

#include "http/router.hpp"

#include <optional>

namespace corral::http {

// None: go on to the handler (req.principal set when keys exist). Else the refusal to send.
boost::asio::awaitable<std::optional<Response>> authorize(Route const& route, Request& req, Context& ctx);

// The reply to a key or session that was not accepted: 401 with WWW-Authenticate: Bearer for
// unauthenticated (a missing or wrong key), the error's own status for anything else.
Response refusal(core::Error const& e);

// The refusal of a key scoped to `queues` for a queue outside them.
core::Error queue_forbidden(auth::Principal const& who, std::string_view queue);
// The refusal of an owner's key for a request about another owner's jobs (a filter naming one).
core::Error owner_forbidden(auth::Principal const& who);

// Logs the change `req` made (a non-GET answered below 400) with the key's id and name, never
// the key; nothing for a request without a key.
void log_audit(Request const& req, int status);

}  // namespace corral::http
