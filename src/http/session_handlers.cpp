// Handlers for /api/v1/session: the dashboard signs in with an API key and then works by a
// session cookie (auth/session_token.hpp), since a browser cannot put a bearer key on an event
// stream, and a key kept in a page's script is one script injection away from being stolen.
//
// The cookie is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it),
// Path=/ and, over HTTPS, Secure. The CSRF token that every change made with the cookie must
// carry in X-CSRF-Token is in the reply's body, for the page to keep.
#include "http/handlers.hpp"

#include "http/authenticator.hpp"
#include "http/authorize.hpp"
#include "wire/key_json.hpp"
#include "wire/time_format.hpp"

#include <chrono>

namespace corral::http::sessions {

using boost::asio::awaitable;

namespace {

std::string session_cookie(Request const& req, std::string_view value, std::int64_t max_age_s) {
  std::string cookie(auth::kSessionCookie);
  cookie += '=';
  cookie += value;
  cookie += "; Path=/; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly; SameSite=Strict";
  if (req.secure) cookie += "; Secure";
  return cookie;
}

boost::json::object to_json(Session const& s) {
  boost::json::array queues;
  for (auto const& q : s.principal.queues) queues.emplace_back(q);
  auto const expires = core::TimePoint(std::chrono::seconds(s.claims.expires_unix));
  return {{"keys_required", true},
          {"key_id", s.principal.key_id},
          {"key_name", s.principal.key_name},
          {"role", auth::to_string(s.principal.role)},
          {"owner", s.principal.owner ? boost::json::value(*s.principal.owner) : boost::json::value(nullptr)},
          {"queues", std::move(queues)},
          {"expires_at", wire::format_rfc3339(expires)},
          {"csrf_token", s.claims.csrf}};
}

core::Error not_signed_in() {
  return core::make_error(core::Errc::unauthenticated, "the dashboard is not signed in: sign in with an API key");
}

}  // namespace

// POST /api/v1/session {"key"}: 200 with the session (and its CSRF token) and its cookie; 401 for
// a key that is not valid, 403 for a worker's key (it may not read, so a dashboard shows it nothing).
awaitable<Response> sign_in(Request& req, Context& ctx) {
  auto body = parse_body_with(req, ctx, wire::parse_sign_in);
  if (!body) co_return respond::error(body.error());
  if (!ctx.auth) co_return refusal(core::make_error(core::Errc::unauthenticated, "the API key is not valid"));
  auto session = co_await ctx.auth->sign_in(body->key);
  if (!session) co_return refusal(session.error());
  if (!auth::allows(session->principal.role, auth::Need::read)) {
    co_return respond::error(core::make_error(
        core::Errc::forbidden, "a key of role " + std::string(auth::to_string(session->principal.role)) +
                                   " may not sign in to the dashboard: it may not read jobs"));
  }
  auto const max_age = std::chrono::duration_cast<std::chrono::seconds>(
      core::TimePoint(std::chrono::seconds(session->claims.expires_unix)) - std::chrono::system_clock::now());
  auto res = respond::json(200, to_json(*session));
  res.headers.emplace_back("Set-Cookie", session_cookie(req, session->token, std::max<std::int64_t>(0, max_age.count())));
  req.principal = std::move(session->principal);   // for the audit line of the sign-in
  co_return res;
}

// GET /api/v1/session: the session of the request's cookie (401 when there is none or it is not
// valid), or {"keys_required": false} on a server without keys, which needs no sign-in.
awaitable<Response> get(Request& req, Context& ctx) {
  bool keys_required = false;
  auto const token = auth::cookie_value(req.cookie, auth::kSessionCookie);
  if (ctx.auth && !ctx.auth->known_open()) {
    auto const keys_exist = co_await ctx.auth->keys_exist();
    // Not known while the store is out: a session is checked as ever, a page without one retries.
    if (!keys_exist && token.empty()) co_return respond::error(keys_exist.error());
    keys_required = !keys_exist || *keys_exist;
  }
  if (!keys_required) co_return respond::json(200, boost::json::object{{"keys_required", false}});
  if (token.empty()) co_return refusal(not_signed_in());
  auto session = co_await ctx.auth->session(token);
  if (!session) co_return refusal(session.error());
  co_return respond::json(200, to_json(*session));
}

// DELETE /api/v1/session: 204, and the cookie is cleared. The token itself stays valid until it
// ends (nothing is stored per session); revoking the key ends every session of it at once.
awaitable<Response> sign_out(Request& req, Context&) {
  Response res;
  res.status = 204;
  res.headers.emplace_back("Set-Cookie", session_cookie(req, "", 0));
  co_return res;
}

}  // namespace corral::http::sessions
