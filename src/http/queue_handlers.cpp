// Handlers for /api/v1/queues: counts by state, pause and resume, settings.
#include "http/handlers.hpp"

#include "push/dispatcher.hpp"
#include "wire/job_json.hpp"
#include "wire/queue_json.hpp"

namespace corral::http::queues {

using boost::asio::awaitable;

namespace {

// A key scoped to an owner gets the queues holding that owner's jobs, counting those only: the
// others' counts, and the names of queues only they use, are theirs (queue/owner_stats.hpp).
// Every other caller gets the backend's counts of every job, which it may keep in memory.
queue::Task<std::vector<queue::QueueInfo>> queues_for(Request const& req, Context& ctx) {
  if (req.principal && req.principal->owner) co_return co_await ctx.queue.owner_queues(*req.principal->owner);
  co_return co_await ctx.queue.queues();
}

}  // namespace

// GET /api/v1/queues: {"queues": [{"name", "paused", "counts": {...}}]}, of the key's owner's
// jobs only for a key scoped to one.
awaitable<Response> list(Request& req, Context& ctx) {
  auto qs = co_await queues_for(req, ctx);
  if (!qs) co_return respond::error(qs.error());
  boost::json::array out;
  for (auto const& q : *qs) out.push_back(wire::to_queue_json(q));
  co_return respond::json(200, boost::json::object{{"queues", std::move(out)}});
}

// POST /api/v1/queues/{name}/pause: the queue hands out nothing until resumed; enqueue still works.
awaitable<Response> pause(Request& req, Context& ctx) {
  auto q = co_await ctx.queue.pause(req.param("name"));
  if (!q) co_return respond::error(q.error());
  co_return respond::json(200, wire::to_queue_json(*q));
}

// POST /api/v1/queues/{name}/resume
awaitable<Response> resume(Request& req, Context& ctx) {
  auto q = co_await ctx.queue.resume(req.param("name"));
  if (!q) co_return respond::error(q.error());
  co_return respond::json(200, wire::to_queue_json(*q));
}

// PATCH /api/v1/queues/{name}: changes the settings the body names (its concurrency limits, its
// push delivery); the queue as it is after the change. A push_url must name a destination this
// server may call (webhook_allowed_hosts), as a callback_url must. The push dispatcher follows the
// change before the reply, so a job enqueued after it is pushed, or not, by the new settings.
awaitable<Response> update(Request& req, Context& ctx) {
  auto body = parse_body_with(req, ctx, wire::parse_queue_update);
  if (!body) co_return respond::error(body.error());
  if (body->push_url && *body->push_url) {
    auto to = outbound::allowed_destination("push_url", **body->push_url, ctx.allowed_destinations);
    if (!to) co_return respond::error(to.error());
  }
  auto q = co_await ctx.queue.update_queue(req.param("name"), std::move(*body));
  if (!q) co_return respond::error(q.error());
  if (ctx.push) {
    auto followed = ctx.push->follow(*q);
    co_await std::move(followed);
  }
  co_return respond::json(200, wire::to_queue_json(*q));
}

}  // namespace corral::http::queues
