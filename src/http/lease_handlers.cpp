// Handlers for workers: fetch (long-poll) and the reports on a lease.
#include "http/handlers.hpp"

#include "http/key_scope.hpp"
#include "http/long_poll_admission.hpp"
#include "http/refusals.hpp"
#include "wire/job_json.hpp"

namespace corral::http::leases {

using boost::asio::awaitable;

namespace {

// The reply to every report: the updated job.
template <class Parse, class Call>
awaitable<Response> report(Request& req, Context& ctx, Parse parse, Call call) {
  auto body = parse_body_with(req, ctx, parse);
  if (!body) co_return respond::error(body.error());
  auto job = co_await call(req.param("id"), std::move(*body));
  if (!job) co_return respond::error(job.error());
  co_return respond::job(200, *job);
}

// A key scoped to queues completes jobs of those queues only: each job is looked up first, a
// cost only such keys pay.
awaitable<std::optional<core::Error>> check_job_queues(Request const& req, Context& ctx,
                                                       std::vector<queue::CompleteItem> const& items) {
  for (auto const& item : items) {
    auto job = co_await ctx.queue.get(item.id, {});
    if (!job) continue;   // the completion answers not_found for it, as for any unknown id
    if (auto refused = check_queues(req, {job->queue})) co_return refused;
  }
  co_return std::nullopt;
}

}  // namespace

// POST /api/v1/fetch: {"jobs": [job + lease_token]}, empty after wait_s without work; 503
// too_many_long_polls if it has to wait and max_long_polls are waiting already.
awaitable<Response> fetch(Request& req, Context& ctx) {
  auto body = parse_body_with(req, ctx, wire::parse_fetch);
  if (!body) co_return respond::error(body.error());
  if (auto refused = check_queues(req, body->queues)) co_return respond::error(*refused);
  body->abandoned = req.client_gone;
  LongPollAdmission const admission(ctx, body->wait);
  auto jobs = co_await ctx.queue.fetch(std::move(*body));
  if (!jobs) co_return respond::error(jobs.error());
  if (jobs->empty() && admission.refused()) co_return respond::error(admission.error());
  std::vector<core::Job const*> out;
  out.reserve(jobs->size());
  for (auto const& j : *jobs) out.push_back(&j);
  co_return respond::jobs(200, out, /*with_lease_token=*/true);
}

// POST /api/v1/jobs/{id}/heartbeat: extends the lease; carries progress and checkpoint.
awaitable<Response> heartbeat(Request& req, Context& ctx) {
  co_return co_await report(req, ctx, wire::parse_heartbeat, [&ctx](std::string id, queue::HeartbeatRequest r) {
    return ctx.queue.heartbeat(std::move(id), std::move(r));
  });
}

// POST /api/v1/jobs/{id}/complete
awaitable<Response> complete(Request& req, Context& ctx) {
  co_return co_await report(req, ctx, wire::parse_complete, [&ctx](std::string id, queue::CompleteRequest r) {
    return ctx.queue.complete(std::move(id), std::move(r));
  });
}

// POST /api/v1/complete: many completions in one call, each answered on its own, in order:
// {"results": [{"id", "status"} or {"id", "error": {"code", "message"}}]}.
awaitable<Response> complete_batch(Request& req, Context& ctx) {
  auto items = parse_body_with(req, ctx, [&ctx](boost::json::value const& v) {
    return wire::parse_complete_batch(v, ctx.max_batch_jobs);
  });
  if (!items) co_return respond::error(items.error());
  if (req.principal && !req.principal->queues.empty()) {
    auto refused = co_await check_job_queues(req, ctx, *items);
    if (refused) co_return respond::error(*refused);
  }
  std::vector<std::string> ids;
  ids.reserve(items->size());
  for (auto const& item : *items) ids.push_back(item.id);
  auto results = co_await ctx.queue.complete_batch(std::move(*items));
  if (!results) co_return respond::error(results.error());
  boost::json::array out;
  out.reserve(results->size());
  for (std::size_t i = 0; i < results->size(); ++i) {
    auto const& r = (*results)[i];
    if (!r) count_refusal(r.error().code);
    boost::json::object o = r ? boost::json::object{{"status", core::to_string(r->status)}} : wire::to_json(r.error());
    o["id"] = ids[i];
    out.push_back(std::move(o));
  }
  co_return respond::json(200, boost::json::object{{"results", std::move(out)}});
}

// POST /api/v1/jobs/{id}/fail
awaitable<Response> fail(Request& req, Context& ctx) {
  co_return co_await report(req, ctx, wire::parse_fail, [&ctx](std::string id, queue::FailRequest r) {
    return ctx.queue.fail(std::move(id), std::move(r));
  });
}

// POST /api/v1/jobs/{id}/release: hands a running job back without counting an attempt.
awaitable<Response> release(Request& req, Context& ctx) {
  co_return co_await report(req, ctx, wire::parse_release, [&ctx](std::string id, queue::ReleaseRequest r) {
    return ctx.queue.release(std::move(id), std::move(r));
  });
}

}  // namespace corral::http::leases
