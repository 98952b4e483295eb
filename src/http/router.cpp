#include "http/router.hpp"

#include "http/authenticator.hpp"
#include "http/authorize.hpp"
#include "http/cross_origin.hpp"
#include "http/handlers.hpp"
#include "http/server_metrics.hpp"
#include "http/static_assets.hpp"
#include "http/stream_handlers.hpp"
#include "sqs/service.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <variant>

namespace corral::http {
namespace {

using auth::Need;

constexpr Route kRoutes[] = {
    {Method::post, "/api/v1/jobs/batch", jobs::enqueue_batch, Need::enqueue, Reads::body},
    {Method::post, "/api/v1/jobs/prune", jobs::prune, Need::admin_all, Reads::body},
    {Method::post, "/api/v1/jobs/bulk", jobs::bulk, Need::admin, Reads::body},
    {Method::post, "/api/v1/jobs", jobs::enqueue, Need::enqueue, Reads::body},
    {Method::get, "/api/v1/jobs", jobs::list, Need::read, Reads::query},
    {Method::get, "/api/v1/jobs/{id}", jobs::get, Need::read, Reads::query},
    {Method::get, "/api/v1/jobs/{id}/events", streams::job_events, Need::read, Reads::query},
    {Method::get, "/api/v1/batches/{id}", batches::get, Need::read},
    {Method::del, "/api/v1/jobs/{id}", jobs::remove, Need::admin},
    {Method::post, "/api/v1/jobs/{id}/cancel", jobs::cancel, Need::own_job},
    {Method::post, "/api/v1/jobs/{id}/retry", jobs::retry, Need::own_job},
    {Method::post, "/api/v1/fetch", leases::fetch, Need::work, Reads::body},
    {Method::post, "/api/v1/complete", leases::complete_batch, Need::work, Reads::body},
    {Method::post, "/api/v1/jobs/{id}/heartbeat", leases::heartbeat, Need::work, Reads::body},
    {Method::post, "/api/v1/jobs/{id}/complete", leases::complete, Need::work, Reads::body},
    {Method::post, "/api/v1/jobs/{id}/fail", leases::fail, Need::work, Reads::body},
    {Method::post, "/api/v1/jobs/{id}/release", leases::release, Need::work, Reads::body},
    {Method::get, "/api/v1/queues", queues::list, Need::read},
    {Method::post, "/api/v1/queues/{name}/pause", queues::pause, Need::admin_all},
    {Method::post, "/api/v1/queues/{name}/resume", queues::resume, Need::admin_all},
    {Method::post, "/api/v1/schedules", schedules::create, Need::admin_all, Reads::body},
    {Method::get, "/api/v1/schedules", schedules::list, Need::read_all},
    {Method::get, "/api/v1/schedules/{name}", schedules::get, Need::read_all},
    {Method::patch, "/api/v1/schedules/{name}", schedules::update, Need::admin_all, Reads::body},
    {Method::del, "/api/v1/schedules/{name}", schedules::remove, Need::admin_all},
    {Method::post, "/api/v1/schedules/{name}/pause", schedules::pause, Need::admin_all},
    {Method::post, "/api/v1/schedules/{name}/resume", schedules::resume, Need::admin_all},
    {Method::patch, "/api/v1/queues/{name}", queues::update, Need::admin_all, Reads::body},
    {Method::get, "/api/v1/events", streams::events, Need::read, Reads::query},
    {Method::get, "/api/v1/stats", stats::get, Need::read, Reads::query},
    {Method::get, "/api/v1/health", health::get, Need::read_all},
    {Method::get, "/api/v1/openapi.json", meta::openapi, Need::read},
    {Method::get, "/livez", probes::livez, Need::open},
    {Method::get, "/readyz", probes::readyz, Need::open},
    {Method::get, "/metrics", probes::metrics, Need::metrics},
    {Method::post, "/api/v1/keys", keys::create, Need::admin_all, Reads::body},
    {Method::get, "/api/v1/keys", keys::list, Need::admin_all},
    {Method::del, "/api/v1/keys/{key_id}", keys::revoke, Need::admin_all},
    {Method::get, "/api/v1/keys/{key_id}/sqs-credentials", keys::sqs_credentials, Need::admin_all},
    {Method::post, "/api/v1/session", sessions::sign_in, Need::open, Reads::body},
    {Method::get, "/api/v1/session", sessions::get, Need::open},
    {Method::del, "/api/v1/session", sessions::sign_out, Need::open},
};

// A route's path parameters as views of its pattern and of the path. The router tries up to every
// route per request, and most fail late ("/api/v1/jobs/{id}" before ".../{id}/complete"): held as
// views, a failed try allocates nothing, and req.params is filled once, for the route that matches.
constexpr std::size_t kMaxParams = 2;
struct Captures {
  std::array<std::pair<std::string_view, std::string_view>, kMaxParams> items{};
  std::size_t n = 0;
};

constexpr std::size_t params_in(std::string_view pattern) {
  std::size_t n = 0;
  for (char c : pattern) n += c == '{' ? 1 : 0;
  return n;
}

constexpr bool every_route_fits() {
  for (auto const& route : kRoutes) {
    if (params_in(route.pattern) > kMaxParams) return false;
  }
  return true;
}
static_assert(every_route_fits(), "a route has more {params} than Captures holds: raise kMaxParams");

// What every path a pattern matches begins with: the pattern up to its first {param}, or all of
// it. Most routes fail on it, so a request tries the segment walk below on one or two routes
// instead of up to every one.
constexpr std::string_view literal_prefix(std::string_view pattern) {
  return pattern.substr(0, pattern.find('{'));
}

// Matches `path` against `pattern` segment by segment, collecting {params}.
bool match(std::string_view pattern, std::string_view path, Captures& captures) {
  captures.n = 0;
  auto const prefix = literal_prefix(pattern);
  if (prefix.size() == pattern.size()) return path == pattern;
  if (!path.starts_with(prefix)) return false;
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    auto const pe = pattern.find('/');
    auto const qe = path.find('/');
    auto const pseg = pattern.substr(0, pe);
    auto const qseg = path.substr(0, qe);
    if (pseg.size() > 2 && pseg.front() == '{' && pseg.back() == '}') {
      if (qseg.empty()) return false;
      captures.items[captures.n++] = {pseg.substr(1, pseg.size() - 2), qseg};
    } else if (pseg != qseg) {
      return false;
    }
    pattern.remove_prefix(pseg.size());
    path.remove_prefix(qseg.size());
  }
  return pattern.empty() && path.empty();
}

// "application/json" or "application/json; charset=utf-8", in any case.
bool is_json_media_type(std::string_view ct) {
  auto media = ct.substr(0, ct.find(';'));
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.back()))) media.remove_suffix(1);
  while (!media.empty() && std::isspace(static_cast<unsigned char>(media.front()))) media.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return std::equal(media.begin(), media.end(), kJson.begin(), kJson.end(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

// What a route does not read must not be sent: a client that sent it expects it to count
// (?status= on GET /queues, a "reason" to cancel); ignored, it would be lost without a word.
std::optional<core::Error> check_unread_input(Route const& route, Request const& req, Context const& ctx) {
  if (route.reads != Reads::query) {
    if (auto none = wire::parse_no_query(req.query); !none) return none.error();
  }
  if (route.reads != Reads::body && !req.body.empty()) {
    auto body = wire::parse_body(req.body, ctx.json_limits);
    if (!body) return body.error();
    if (auto none = wire::parse_no_fields(*body); !none) return none.error();
  }
  return std::nullopt;
}

// The route `req` asks for (filling req.params), or the reply that refuses it.
std::variant<Route const*, Response> find_route(Request& req) {
  // A WebSocket client that got a 200 and JSON would report a confusing failure, or none; an
  // error that says why is clearer. The connection stays HTTP/1.1, so it can go on.
  if (!req.upgrade.empty()) {
    return respond::error(core::make_error(
        core::Errc::invalid_argument,
        "the server does not switch protocols (Upgrade: " + req.upgrade + "); it speaks HTTP/1.1 only"));
  }
  std::string allow;
  Captures captures;
  for (auto const& route : kRoutes) {
    if (!match(route.pattern, req.path, captures)) continue;
    // Filled for a path that matches whatever its method, so that a 405's log line names the
    // job as the route's would.
    req.params.clear();
    for (std::size_t i = 0; i < captures.n; ++i) {
      req.params.emplace(std::string(captures.items[i].first), std::string(captures.items[i].second));
    }
    if (route.method != req.method) {
      if (allow.find(to_string(route.method)) == std::string::npos) {
        allow += (allow.empty() ? "" : ", ") + std::string(to_string(route.method));
      }
      continue;
    }
    return &route;
  }
  // Any other page is the dashboard's: its files, or its index.html for a deep link.
  if (allow.empty() && (req.method == Method::get || req.method == Method::head) && is_dashboard_path(req.path)) {
    return serve_dashboard(req);
  }
  if (!allow.empty()) {
    auto r = respond::error(core::make_error(core::Errc::method_not_allowed,
                                             std::string(to_string(req.method)) + " is not allowed on " + req.path));
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  return respond::error(core::make_error(core::Errc::not_found, "no route for " + req.path));
}

// What the route cannot take, before its handler runs: a body that is not JSON, or input it
// does not read.
std::optional<Response> refuse_input(Route const& route, Request const& req, Context const& ctx) {
  if (!req.body.empty() && !is_json_media_type(req.content_type)) {
    return respond::error(core::make_error(core::Errc::unsupported_media_type,
                                           "the body must be sent as Content-Type: application/json"));
  }
  if (auto e = check_unread_input(route, req, ctx)) return respond::error(*e);
  return std::nullopt;
}

boost::asio::awaitable<Response> serve_sqs(Request& req, sqs::Service& sqs) {
  sqs::HttpRequest in{req.path,       req.content_type, req.amz_target,    req.host,  req.body,
                      req.request_id, req.client_gone,  req.authorization, req.target, req.headers};
  auto out = co_await sqs.handle(in);
  Response res;
  res.status = out.status;
  res.content_type = std::move(out.content_type);
  res.body = std::move(out.body);
  res.headers = std::move(out.headers);
  co_return res;
}

}  // namespace

std::span<Route const> routes() { return kRoutes; }

boost::asio::awaitable<Response> dispatch(Request& req, Context& ctx) {
  auto const began = std::chrono::steady_clock::now();
  if (auto refused = refuse_cross_origin(req)) {
    if (ctx.metrics) ctx.metrics->record_request(nullptr, req.method, refused->status, std::chrono::steady_clock::now() - began);
    co_return std::move(*refused);
  }
  if (ctx.sqs && req.method == Method::post && sqs::is_sqs_request(req.content_type, req.amz_target, req.body)) {
    // The SQS part checks the request's signature itself while keys exist (http/sqs_gate.hpp).
    auto res = co_await serve_sqs(req, *ctx.sqs);
    if (ctx.metrics) ctx.metrics->record_sqs_request(res.status, std::chrono::steady_clock::now() - began);
    co_return res;
  }
  // Routing waits for nothing, so it is plain functions: no coroutine frame of its own per request.
  auto found = find_route(req);
  auto const* route = std::holds_alternative<Route const*>(found) ? std::get<Route const*>(found) : nullptr;
  // The key before the input: a caller without one learns nothing of what a route takes.
  std::optional<Response> refused;
  if (route) {
    // The probes, and every route while no key exists, skip the check and its coroutine frame:
    // they are the hot path of an open server.
    if (ctx.auth && route->access.need != Need::open && !ctx.auth->known_open()) {
      refused = co_await authorize(*route, req, ctx);
    }
    if (!refused) refused = refuse_input(*route, req, ctx);
  } else {
    refused = std::get<Response>(std::move(found));
  }
  Response res;
  if (refused) {
    res = std::move(*refused);
  } else {
    res = co_await route->handler(req, ctx);
    log_audit(req, res.status);
  }
  if (ctx.metrics) ctx.metrics->record_request(route, req.method, res.status, std::chrono::steady_clock::now() - began);
  co_return res;
}

std::string_view to_string(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::head: return "HEAD";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

}  // namespace corral::http
