// The HTTP server's own instruments for /metrics: how long requests take, by method, route
// pattern (never the raw path, so ids do not each make a series) and status class; how many
// enqueues were answered with an existing job (idempotency hits); and the job events this node
// commits (job_event_metrics.hpp). Gauges read at scrape time (connections, long-polls, the
// backend's numbers) and refusals (refusals.hpp) are written by the /metrics handler itself.
//
// Thread-safe.
#pragma once

#include "http/job_event_metrics.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "metrics/counter.hpp"
#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"
#include "metrics/labeled.hpp"
#include "queue/event_log.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace corral::http {

class ServerMetrics {
 public:
  // The route label of a request that matched no route (404, 405).
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  // Counts the events `events` appends from now on.
  explicit ServerMetrics(queue::EventLog& events);

  // A request answered with `status` after `took`, on `route` (null: it matched none).
  void record_request(Route const* route, Method method, int status, std::chrono::steady_clock::duration took);
  // An Amazon SQS request (router.hpp), under the route pattern "sqs".
  void record_sqs_request(int status, std::chrono::steady_clock::duration took);
  void record_idempotent_hits(std::size_t n) { idempotent_hits_.add(n); }

  void write(metrics::Exposition& out) const;

 private:
  static constexpr std::size_t kStatusClasses = 6;   // 1xx to 5xx, and any other
  using RouteSlots = std::array<std::atomic<metrics::Histogram*>, kStatusClasses>;
  metrics::Histogram& request_histogram(Route const* route, Method method, std::size_t status_class);

  metrics::Labeled<metrics::Histogram> request_seconds_;
  // Each route's histograms by status class, resolved at the first such reply: a request then
  // costs no lookup. Indexed like routes().
  std::unique_ptr<RouteSlots[]> by_route_;
  metrics::Counter idempotent_hits_;
  std::shared_ptr<JobEventMetrics> jobs_;
};

}  // namespace corral::http
