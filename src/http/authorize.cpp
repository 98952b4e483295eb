#include "http/authorize.hpp"

#include "auth/key_text.hpp"
#include "auth/session_token.hpp"
#include "core/number_text.hpp"
#include "http/authenticator.hpp"
#include "http/respond.hpp"
#include "logging/log_line.hpp"

namespace corral::http {
namespace {

using core::RateLimit;
using boost::asio::awaitable;

core::Error role_forbidden(auth::Principal const& who, auth::Need need) {
  return core::make_error(core::Errc::forbidden, "a key of role " + std::string(auth::to_string(who.role)) +
                                                     " may not do this (it needs " + std::string(auth::to_string(need)) +
                                                     ")");
}

core::Error not_scopable(auth::Principal const& who) {
  return core::make_error(core::Errc::forbidden, "a key scoped to owner " + *who.owner +
                                                     " may not use this route: it covers every owner's jobs");
}

// A key over its rate limit: it may come back in `seconds`, when its bucket holds a token again.
Response rate_limited(RateLimit const& limit, std::int64_t seconds) {
  auto r = respond::error(core::make_error(
      core::Errc::rate_limited, "this key sent more requests than its rate limit allows (" +
                                    core::format_number(limit.per_s) + " a second, bursts of " +
                                    core::format_number(limit.capacity()) + "); retry after " +
                                    std::to_string(seconds) + " s"));
  r.headers.emplace_back("Retry-After", std::to_string(seconds));
  return r;
}

// The same words as the stores' own not_found, so another owner's job looks like no job at all.
core::Error no_job(std::string const& id) { return core::make_error(core::Errc::not_found, "job " + id + " not found"); }

// On a route about one job: whether the key may see (its owner) and work on (its queue) that job.
awaitable<std::optional<Response>> check_job(auth::Need need, Request& req, Context& ctx) {
  auto id = req.params.find("id");
  if (id == req.params.end() || !req.path.starts_with("/api/v1/jobs/")) co_return std::nullopt;
  auto const& who = *req.principal;
  bool const by_queue = need == auth::Need::work && !who.queues.empty();
  if (!who.owner && !by_queue) co_return std::nullopt;
  auto job = co_await ctx.queue.get(id->second, {});
  if (!job) co_return respond::error(job.error());
  if (!who.sees_owner(job->owner)) co_return respond::error(no_job(id->second));
  if (by_queue && !who.may_use_queue(job->queue)) co_return respond::error(queue_forbidden(who, job->queue));
  co_return std::nullopt;
}

}  // namespace

Response refusal(core::Error const& e) {
  auto r = respond::error(e);
  if (e.code == core::Errc::unauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"corral\"");
  return r;
}

core::Error queue_forbidden(auth::Principal const& who, std::string_view queue) {
  std::string allowed;
  for (auto const& q : who.queues) allowed += (allowed.empty() ? "" : ", ") + q;
  return core::make_error(core::Errc::forbidden,
                          "this key works on queues " + allowed + " only, not " + std::string(queue));
}

core::Error owner_forbidden(auth::Principal const& who) {
  return core::make_error(core::Errc::forbidden, "this key sees the jobs of owner " + *who.owner + " only");
}

awaitable<std::optional<Response>> authorize(Route const& route, Request& req, Context& ctx) {
  auto const need = route.access.need;
  if (!ctx.auth || need == auth::Need::open) co_return std::nullopt;
  auto const keys_exist = co_await ctx.auth->keys_exist();
  if (keys_exist && !*keys_exist) co_return std::nullopt;
  if (need == auth::Need::metrics && ctx.auth->metrics_open()) co_return std::nullopt;
  // A bearer key, or else the dashboard's session cookie, whose changes must carry its CSRF token.
  auto const session_token = req.authorization.empty() ? auth::cookie_value(req.cookie, auth::kSessionCookie)
                                                       : std::string_view{};
  // While the store cannot say whether keys exist, a request with credentials is checked as ever
  // (a key this node knows still works); one without is told to come back, not that it needs a key.
  if (!keys_exist && req.authorization.empty() && session_token.empty()) co_return respond::error(keys_exist.error());
  core::Result<auth::Principal> who = core::make_error(core::Errc::unauthenticated, "");
  if (session_token.empty()) {
    who = co_await ctx.auth->authenticate(req.authorization);
  } else {
    auto session = co_await ctx.auth->session(session_token);
    if (!session) {
      who = session.error();
    } else if (is_change(req.method) && !auth::same_digest(req.csrf_token, session->claims.csrf)) {
      co_return respond::error(core::make_error(
          core::Errc::forbidden, "a change made with the dashboard's session needs the session's X-CSRF-Token header"));
    } else {
      who = std::move(session->principal);
    }
  }
  if (!who) co_return refusal(who.error());
  // Counted when the request arrives, whatever it then waits for: a long-poll or a stream costs
  // one token, not one per second of waiting.
  if (auto seconds = ctx.auth->take_token(who->key_id)) co_return rate_limited(ctx.auth->rate_limit(), *seconds);
  if (!auth::allows(who->role, need)) co_return respond::error(role_forbidden(*who, need));
  if (who->owner && !auth::owner_scopable(need)) co_return respond::error(not_scopable(*who));
  req.principal = std::move(*who);
  co_return co_await check_job(need, req, ctx);
}

void log_audit(Request const& req, int status) {
  if (!req.principal || !is_change(req.method) || status >= 400) return;
  logging::Lines lines;
  lines.line(spdlog::level::info, "audit")
      .field("request_id", req.request_id)
      .field("key_id", req.principal->key_id)
      .field("key_name", req.principal->key_name)
      .field("method", to_string(req.method))
      .field("path", req.path)
      .field("status", status);
  if (auto id = req.params.find("id"); id != req.params.end()) lines.field("job_id", id->second);
  lines.write();
}

}  // namespace corral::http
