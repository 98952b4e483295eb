#include "http/server_metrics.hpp"

#include "metrics/buckets.hpp"

namespace corral::http {
namespace {

constexpr std::array<std::string_view, 6> kStatusClassNames = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};

std::size_t status_class(int status) {
  auto const hundreds = status / 100;
  return hundreds >= 1 && hundreds <= 5 ? static_cast<std::size_t>(hundreds) : 0;
}

}  // namespace

ServerMetrics::ServerMetrics(queue::EventLog& events)
    : request_seconds_({"method", "route", "status_class"},
                       [](std::span<std::string const>) {
                         return std::make_unique<metrics::Histogram>(metrics::kLatencySeconds);
                       }),
      by_route_(std::make_unique<RouteSlots[]>(routes().size())),
      jobs_(JobEventMetrics::observe(events)) {}

void ServerMetrics::record_request(Route const* route, Method method, int status,
                                   std::chrono::steady_clock::duration took) {
  request_histogram(route, method, status_class(status)).observe(std::chrono::duration<double>(took).count());
}

void ServerMetrics::record_sqs_request(int status, std::chrono::steady_clock::duration took) {
  request_seconds_.with({to_string(Method::post), "sqs", kStatusClassNames[status_class(status)]})
      .observe(std::chrono::duration<double>(took).count());
}

metrics::Histogram& ServerMetrics::request_histogram(Route const* route, Method method, std::size_t status_class) {
  auto const class_name = kStatusClassNames[status_class];
  if (route == nullptr) return request_seconds_.with({to_string(method), kUnmatchedRoute, class_name});
  auto& slot = by_route_[static_cast<std::size_t>(route - routes().data())][status_class];
  auto* h = slot.load(std::memory_order_acquire);
  if (h == nullptr) {
    // Two threads may both get here: the family gives them the same histogram.
    h = &request_seconds_.with({to_string(route->method), route->pattern, class_name});
    slot.store(h, std::memory_order_release);
  }
  return *h;
}

void ServerMetrics::write(metrics::Exposition& out) const {
  out.histograms("corral_http_request_duration_seconds",
                 "Time from a request's routing to its reply (a long-poll's wait included), by method, route "
                 "pattern and status class",
                 request_seconds_);
  out.counter("corral_idempotent_hits_total",
              "Enqueues answered with the existing job of their idempotency key instead of a new one",
              idempotent_hits_.value());
  jobs_->write(out);
}

}  // namespace corral::http
