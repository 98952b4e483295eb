// Handler for GET /api/v1/health, and the health gauges of /metrics: the backend's facts judged
// against the thresholds of the settings (queue/health_checks.hpp), with this server's use of its
// connection and long-poll limits.
#include "http/handlers.hpp"

#include "metrics/exposition.hpp"
#include "queue/health_checks.hpp"
#include "wire/stats_json.hpp"

namespace corral::http::health {

using boost::asio::awaitable;

namespace {

std::optional<api::AdmissionUse> admission_use(Context const& ctx) {
  if (!ctx.admission) return std::nullopt;
  return api::AdmissionUse{ctx.admission->connections.count(), ctx.admission->connections.max(),
                           ctx.admission->long_polls.count(), ctx.admission->long_polls.max()};
}

}  // namespace

// GET /api/v1/health: 200 when healthy or degraded, 503 when unhealthy.
awaitable<Response> get(Request&, Context& ctx) {
  auto facts = co_await ctx.queue.health_facts();
  if (!facts) co_return respond::error(facts.error());
  auto const health = queue::judge(*facts, admission_use(ctx), ctx.health);
  co_return respond::json(health.status == api::HealthStatus::unhealthy ? 503 : 200, wire::to_json(health));
}

awaitable<void> write_metrics(Context& ctx, metrics::Exposition& out) {
  auto facts = co_await ctx.queue.health_facts();
  if (!facts) co_return;
  out.family("corral_queue_oldest_ready_age_seconds", "Seconds the oldest ready job of the queue has waited",
             metrics::Type::gauge);
  for (auto const& q : facts->queues) {
    double const waited = q.oldest_ready_at && q.ready > 0
                              ? std::max(0.0, std::chrono::duration<double>(facts->now - *q.oldest_ready_at).count())
                              : 0.0;
    metrics::Label const labels[] = {{"queue", q.name}};
    out.sample("corral_queue_oldest_ready_age_seconds", labels, waited);
  }
  out.family("corral_queue_idle_with_work", "1 while the queue has ready jobs no worker fetched for health_no_worker_s",
             metrics::Type::gauge);
  for (auto const& q : facts->queues) {
    auto const idle_s = queue::idle_with_work_s(q, facts->now);
    metrics::Label const labels[] = {{"queue", q.name}};
    out.sample("corral_queue_idle_with_work", labels, idle_s && *idle_s >= ctx.health.no_worker_s ? 1.0 : 0.0);
  }
  out.gauge("corral_workers_seen", "Workers (by id) that fetched in the last hour",
            static_cast<double>(facts->workers_seen));
}

}  // namespace corral::http::health
