// Probes at the root, as orchestrators and Prometheus expect: /livez (the process serves),
// /readyz (it can take writes) and /metrics (job counts, the server's limits and use, job events,
// request timings and refusals, and the backend's own numbers and commit timings).
#include "http/handlers.hpp"

#include "core/job_state.hpp"
#include "http/refusals.hpp"
#include "http/server_metrics.hpp"
#include "push/dispatcher.hpp"
#include "webhooks/dispatcher.hpp"
#include "metrics/exposition.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace corral::http::probes {

using boost::asio::awaitable;

namespace {

using metrics::Exposition;
using metrics::Label;

// Jobs by queue and state, and the leases running over all queues. On PostgreSQL these are the
// cluster's, counted by the database.
void write_jobs(Exposition& out, std::vector<queue::QueueInfo> const& queues) {
  out.family("corral_jobs", "Jobs by queue and state", metrics::Type::gauge);
  std::uint64_t running = 0;
  for (auto const& q : queues) {
    for (auto s : core::kAllStates) {
      auto const n = q.counts[static_cast<std::size_t>(s)];
      Label const labels[] = {{"queue", q.name}, {"state", core::to_string(s)}};
      out.sample("corral_jobs", labels, static_cast<double>(n));
      if (s == core::JobState::running) running += static_cast<std::uint64_t>(n);
    }
  }
  out.gauge("corral_running_leases", "Jobs leased to workers now, over all queues", static_cast<double>(running));
}

// What the server's limits admit now, and the limits.
void write_admission(Exposition& out, Admission const& admission) {
  out.gauge("corral_http_connections", "Open HTTP connections", static_cast<double>(admission.connections.count()));
  out.gauge("corral_http_connections_max", "The most HTTP connections served at once (max_connections)",
            static_cast<double>(admission.connections.max()));
  out.gauge("corral_long_polls", "Long-polls waiting: fetches with wait_s and GET ?wait",
            static_cast<double>(admission.long_polls.count()));
  out.gauge("corral_long_polls_max", "The most long-polls that may wait at once (max_long_polls)",
            static_cast<double>(admission.long_polls.max()));
  out.gauge("corral_http_requests_in_flight", "Requests being received, handled or answered",
            static_cast<double>(admission.requests.count()));
  out.gauge("corral_streams", "Event streams open", static_cast<double>(admission.streams.count()));
  out.gauge("corral_streams_max", "The most event streams open at once (max_streams)",
            static_cast<double>(admission.streams.max()));
  out.counter("corral_streams_dropped_total", "Event streams closed because their consumer did not read",
              admission.streams_dropped.load());
}

// The backend's numbers (backend_stats) and the timing of its commits.
void write_backend(Exposition& out, queue::QueueService const& queue) {
  std::string name;
  for (auto const& s : queue.backend_stats()) {
    name = "corral_" + s.name;
    out.family(name, s.help, s.counter ? metrics::Type::counter : metrics::Type::gauge);
    out.sample(name, {}, s.value);
  }
  if (auto const* commits = queue.commit_metrics()) {
    out.histogram("corral_commit_duration_seconds",
                  "Time a commit of requests took, from its transaction's first statement to COMMIT returning",
                  commits->duration);
    out.histogram("corral_commit_batch_size", "Requests carried by one commit (group commit)", commits->batch_size);
  }
}

}  // namespace

// GET /livez
awaitable<Response> livez(Request&, Context&) { co_return respond::json(200, {{"status", "ok"}}); }

// GET /readyz: 503 with the reason when the database refuses writes or the server is stopping;
// the backend's numbers (a connection pool's use, say) either way.
awaitable<Response> readyz(Request&, Context& ctx) {
  auto r = ctx.queue.readiness();
  boost::json::object body{{"status", r.ready ? "ready" : "not_ready"}};
  if (!r.ready) body["reason"] = r.reason;
  auto stats = ctx.queue.backend_stats();
  if (!stats.empty()) {
    boost::json::object backend;
    for (auto const& s : stats) backend[s.name] = s.value;
    body["backend"] = std::move(backend);
  }
  co_return respond::json(r.ready ? 200 : 503, body);
}

// GET /metrics: Prometheus text format (docs/operations.md lists every metric).
awaitable<Response> metrics(Request&, Context& ctx) {
  Exposition out;
  out.gauge("corral_up", "1 while the server can take writes", ctx.queue.readiness().ready ? 1 : 0);
  if (auto queues = co_await ctx.queue.queues()) write_jobs(out, *queues);
  if (ctx.admission) write_admission(out, *ctx.admission);
  if (ctx.metrics) ctx.metrics->write(out);
  out.counters("corral_http_refusals_total", "Error replies, and refused items of POST /complete, by error code",
               refusals());
  write_backend(out, ctx.queue);
  co_await health::write_metrics(ctx, out);   // oldest ready age, idle with work, workers seen
  if (ctx.webhooks) {
    auto pending = co_await ctx.queue.deliveries_pending();
    ctx.webhooks->write_metrics(out, pending ? *pending : 0);
  }
  if (ctx.push) ctx.push->write_metrics(out);
  co_return Response{200, out.take(), "text/plain; version=0.0.4; charset=utf-8", {}};
}

}  // namespace corral::http::probes
