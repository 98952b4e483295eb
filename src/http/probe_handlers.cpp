// Probes at the root, as orchestrators and Prometheus expect: /livez (the process serves),
// /readyz (it can take writes) and /metrics (job counts, open connections and waiting long-polls,
// and the backend's own numbers).
#include "http/handlers.hpp"

#include "core/job_state.hpp"
#include "core/number_text.hpp"

#include <boost/json.hpp>

#include <sstream>

namespace corral::http::probes {

using boost::asio::awaitable;

namespace {

// A Prometheus label value: backslash, quote and newline escaped.
std::string label_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
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

// GET /metrics: Prometheus text format.
awaitable<Response> metrics(Request&, Context& ctx) {
  std::ostringstream out;
  out << "# HELP corral_up 1 while the server can take writes\n# TYPE corral_up gauge\n"
      << "corral_up " << (ctx.queue.readiness().ready ? 1 : 0) << "\n";
  auto queues = co_await ctx.queue.queues();
  if (queues) {
    out << "# HELP corral_jobs Jobs by queue and state\n# TYPE corral_jobs gauge\n";
    for (auto const& q : *queues) {
      for (auto s : core::kAllStates) {
        out << "corral_jobs{queue=\"" << label_value(q.name) << "\",state=\"" << core::to_string(s) << "\"} "
            << q.counts[static_cast<std::size_t>(s)] << "\n";
      }
    }
  }
  if (ctx.admission) {
    out << "# HELP corral_http_connections Open HTTP connections (limit: max_connections)\n"
        << "# TYPE corral_http_connections gauge\ncorral_http_connections " << ctx.admission->connections.count()
        << "\n# HELP corral_long_polls Long-polls waiting: fetches with wait_s and GET ?wait (limit: max_long_polls)\n"
        << "# TYPE corral_long_polls gauge\ncorral_long_polls " << ctx.admission->long_polls.count()
        << "\n# HELP corral_http_requests Requests being received, handled or answered\n"
        << "# TYPE corral_http_requests gauge\ncorral_http_requests " << ctx.admission->requests.count() << "\n";
  }
  for (auto const& s : ctx.queue.backend_stats()) {
    out << "# HELP corral_" << s.name << " " << s.help << "\n# TYPE corral_" << s.name << " "
        << (s.counter ? "counter" : "gauge") << "\ncorral_" << s.name << " " << core::format_number(s.value) << "\n";
  }
  // Queue health gauges (oldest ready age, idle with work, workers seen): health_handlers.cpp.
  out << co_await health::metrics_text(ctx);
  co_return Response{200, out.str(), "text/plain; version=0.0.4; charset=utf-8", {}};
}

}  // namespace corral::http::probes
