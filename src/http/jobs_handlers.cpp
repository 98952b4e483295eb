// Handlers for /api/v1/jobs: enqueue, batch, get (?wait), list, cancel, retry, delete, prune, bulk.
#include "http/handlers.hpp"

#include "api/not_ready.hpp"
#include "core/job_state.hpp"
#include "http/key_scope.hpp"
#include "http/long_poll_admission.hpp"
#include "http/server_metrics.hpp"
#include "wire/job_json.hpp"
#include "wire/prefer.hpp"
#include "wire/traceparent.hpp"

#include <boost/json/serialize.hpp>

namespace corral::http::jobs {

using boost::asio::awaitable;

namespace {

// A callback_url must name a destination this server may call (webhook_allowed_hosts), checked
// when it is given so that a producer hears of a refused host at once. `field` names it.
std::optional<core::Error> check_callback(core::EnqueueRequest const& spec, std::string const& field, Context const& ctx) {
  if (!spec.callback_url) return std::nullopt;
  auto to = outbound::allowed_destination(field, *spec.callback_url, ctx.allowed_destinations);
  if (!to) return to.error();
  return std::nullopt;
}

}  // namespace

// POST /api/v1/jobs: 201 with the new job; 200 with the existing one for a known idempotency key.
// With `Prefer: return=minimal`, the job's id and status only (wire/prefer.hpp).
// A valid W3C traceparent header gives the job its trace id; without one the backend draws one.
awaitable<Response> enqueue(Request& req, Context& ctx) {
  auto spec = parse_body_with(req, ctx, wire::parse_enqueue);
  if (!spec) co_return respond::error(spec.error());
  if (auto refused = check_callback(*spec, "callback_url", ctx)) co_return respond::error(*refused);
  spec->trace_id = wire::trace_id_of_traceparent(req.traceparent);
  enqueue_as_owner(req, *spec);
  auto r = co_await ctx.queue.enqueue(std::move(*spec));
  if (!r) co_return respond::error(r.error());
  if (!r->created && ctx.metrics) ctx.metrics->record_idempotent_hits(1);
  auto const status = r->created ? 201 : 200;
  if (wire::prefers_minimal_return(req.prefer)) co_return respond::job_reference(status, r->job);
  co_return respond::job(status, r->job);
}

// POST /api/v1/jobs/batch: all or nothing; 201 {"jobs": [...]} in request order, each job in full
// or, with `Prefer: return=minimal`, its id and status.
awaitable<Response> enqueue_batch(Request& req, Context& ctx) {
  auto specs = parse_body_with(req, ctx, [&ctx](boost::json::value const& v) {
    return wire::parse_enqueue_batch(v, ctx.max_batch_jobs);
  });
  if (!specs) co_return respond::error(specs.error());
  for (std::size_t i = 0; i < specs->size(); ++i) {
    auto const field = "jobs[" + std::to_string(i) + "].callback_url";
    if (auto refused = check_callback((*specs)[i], field, ctx)) co_return respond::error(*refused);
  }
  // One request, one trace: every job of the batch carries the header's trace id.
  auto const trace_id = wire::trace_id_of_traceparent(req.traceparent);
  for (auto& spec : *specs) {
    spec.trace_id = trace_id;
    enqueue_as_owner(req, spec);
  }
  std::vector<core::BatchRole> roles;
  roles.reserve(specs->size());
  for (auto const& spec : *specs) roles.push_back(spec.batch_role);
  bool const names_batch = !specs->empty() && specs->front().batch.has_value();
  auto r = co_await ctx.queue.enqueue_batch(std::move(*specs));
  if (!r) co_return respond::error(r.error());
  std::vector<core::Job const*> jobs;
  jobs.reserve(r->size());
  std::size_t existing = 0;   // items answered with the job of a known idempotency key
  core::Job const* on_success = nullptr;
  core::Job const* on_complete = nullptr;
  for (std::size_t i = 0; i < r->size(); ++i) {
    auto const& e = (*r)[i];
    if (!e.created) ++existing;
    if (roles[i] == core::BatchRole::on_success) on_success = &e.job;
    else if (roles[i] == core::BatchRole::on_complete) on_complete = &e.job;
    else jobs.push_back(&e.job);
  }
  if (ctx.metrics) ctx.metrics->record_idempotent_hits(existing);
  bool const minimal = wire::prefers_minimal_return(req.prefer);
  auto reply = minimal ? respond::job_references(201, jobs) : respond::jobs(201, jobs);
  if (names_batch && !r->empty()) {
    // {"jobs": [...], "batch": {"id", "on_success": job|null, "on_complete": job|null}}
    auto& body = reply.body;
    body.pop_back();
    body += R"(,"batch":{"id":)";
    body += boost::json::serialize(boost::json::value(r->front().job.batch.value_or("")));
    for (auto [name, job] : {std::pair{R"(,"on_success":)", on_success}, std::pair{R"(,"on_complete":)", on_complete}}) {
      body += name;
      if (!job) body += "null";
      else if (minimal) respond::append_job_reference(body, *job);
      else wire::append_json_text(body, *job);
    }
    body += "}}";
  }
  co_return reply;
}

// GET /api/v1/jobs/{id}[?wait=S[&progress=1]]: with wait, answers once the job is terminal (with
// progress=1, or its progress changes) or after S seconds; 503 too_many_long_polls if it has to
// wait and max_long_polls are waiting already.
awaitable<Response> get(Request& req, Context& ctx) {
  auto wait = wire::parse_get_query(req.query);
  if (!wait) co_return respond::error(wait.error());
  LongPollAdmission const admission(ctx, wait->wait);
  auto job = co_await ctx.queue.get(req.param("id"), *wait);
  if (!job) co_return respond::error(job.error());
  if (!core::is_terminal(job->status) && admission.refused()) co_return respond::error(admission.error());
  // Why it is not running yet: read from its queue's settings and counts only when they matter.
  std::optional<api::NotReady> not_ready;
  if (job->status == core::JobState::queued) {
    auto queue = co_await ctx.queue.queue_info(job->queue);
    if (queue) not_ready = api::why_not_ready(*job, *queue ? &**queue : nullptr);
  } else {
    not_ready = api::why_not_ready(*job, nullptr);
  }
  auto reply = respond::job(200, *job);
  reply.body.pop_back();
  reply.body += R"(,"not_ready":)";
  reply.body += not_ready ? boost::json::serialize(boost::json::object{{"code", not_ready->code}, {"message", not_ready->message}})
                          : std::string("null");
  reply.body += '}';
  co_return reply;
}

// GET /api/v1/jobs?status=&queue=&type=&owner=&error_code=&error_text=&created_after=&created_before=
// &sort=&view=&count=&limit=&cursor=: in the sort asked for, newest first by default.
awaitable<Response> list(Request& req, Context& ctx) {
  auto query = wire::parse_list_query(req.query);
  if (!query) co_return respond::error(query.error());
  if (auto refused = scope_filter(req, query->filter)) co_return respond::error(*refused);
  auto const summary = query->summary;
  auto page = co_await ctx.queue.list(std::move(*query));
  if (!page) co_return respond::error(page.error());
  boost::json::array jobs;
  auto const now = wire::reply_time();
  for (auto const& j : page->jobs) jobs.push_back(summary ? wire::to_summary_json(j, now) : wire::to_json(j, false, now));
  boost::json::object body{{"jobs", std::move(jobs)}};
  if (page->next) body["next_cursor"] = wire::encode_cursor(*page->next);
  if (page->total) {
    body["total"] = *page->total;
    body["total_exact"] = page->total_exact;
  }
  co_return respond::json(200, body);
}

// POST /api/v1/jobs/bulk: retry, cancel or delete by ids or filter; 200 with the counts.
awaitable<Response> bulk(Request& req, Context& ctx) {
  auto bulk = parse_body_with(req, ctx, wire::parse_bulk);
  if (!bulk) co_return respond::error(bulk.error());
  if (bulk->filter) {
    if (auto refused = scope_filter(req, *bulk->filter)) co_return respond::error(*refused);
  } else if (req.principal) {
    bulk->owner = req.principal->owner;
  }
  auto r = co_await ctx.queue.bulk(std::move(*bulk));
  if (!r) co_return respond::error(r.error());
  co_return respond::json(200, wire::to_json(*r));
}

// POST /api/v1/jobs/{id}/cancel: waiting jobs end now; a running one gets cancel_requested.
awaitable<Response> cancel(Request& req, Context& ctx) {
  auto job = co_await ctx.queue.cancel(req.param("id"));
  if (!job) co_return respond::error(job.error());
  co_return respond::job(200, *job);
}

// POST /api/v1/jobs/{id}/retry: failed or cancelled -> queued with a fresh attempt budget.
awaitable<Response> retry(Request& req, Context& ctx) {
  auto job = co_await ctx.queue.retry(req.param("id"));
  if (!job) co_return respond::error(job.error());
  co_return respond::job(200, *job);
}

// DELETE /api/v1/jobs/{id}: terminal jobs only; 204.
awaitable<Response> remove(Request& req, Context& ctx) {
  auto r = co_await ctx.queue.remove(req.param("id"));
  if (!r) co_return respond::error(r.error());
  co_return respond::no_content();
}

// POST /api/v1/jobs/prune: deletes ended jobs older than older_than_s; 200 {"pruned": N}.
awaitable<Response> prune(Request& req, Context& ctx) {
  auto prune = parse_body_with(req, ctx, wire::parse_prune);
  if (!prune) co_return respond::error(prune.error());
  auto n = co_await ctx.queue.prune(std::move(*prune));
  if (!n) co_return respond::error(n.error());
  co_return respond::json(200, boost::json::object{{"pruned", *n}});
}

}  // namespace corral::http::jobs
