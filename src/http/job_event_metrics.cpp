#include "http/job_event_metrics.hpp"

#include "metrics/buckets.hpp"

#include <chrono>

namespace corral::http {
namespace {

std::unique_ptr<metrics::Histogram> job_seconds_histogram(std::span<std::string const>) {
  return std::make_unique<metrics::Histogram>(metrics::kJobSeconds);
}

double seconds(core::Micros d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

std::shared_ptr<JobEventMetrics> JobEventMetrics::observe(queue::EventLog& log) {
  auto m = std::make_shared<JobEventMetrics>();
  log.subscribe([m](core::JobEvent const& e) { m->record(e); });
  return m;
}

JobEventMetrics::JobEventMetrics()
    : queue_wait_({"queue", "type"}, job_seconds_histogram),
      run_time_({"queue", "type"}, job_seconds_histogram),
      series_({"queue", "type"}, [this](std::span<std::string const> values) { return resolve(values); }) {}

// Every kind's counter is made with the pair, at 0, so that a rate over any of them (failures,
// say) has a series from the start rather than from its first event.
std::unique_ptr<JobEventMetrics::Series> JobEventMetrics::resolve(std::span<std::string const> queue_and_type) {
  std::string_view const queue = queue_and_type[0];
  std::string_view const type = queue_and_type[1];
  auto series = std::make_unique<Series>();
  auto const kinds = core::all_job_event_kinds();
  series->by_kind.resize(kinds.size());
  for (auto kind : kinds) {
    series->by_kind[static_cast<std::size_t>(kind)] = &events_.with({queue, type, core::to_string(kind)});
  }
  series->queue_wait = &queue_wait_.with({queue, type});
  series->run_time = &run_time_.with({queue, type});
  return series;
}

void JobEventMetrics::record(core::JobEvent const& e) {
  if (!e.local) return;
  auto& series = series_.with({e.queue, e.type});
  auto const kind = static_cast<std::size_t>(e.kind);
  if (kind < series.by_kind.size()) series.by_kind[kind]->add();
  if (e.queue_wait) series.queue_wait->observe(seconds(*e.queue_wait));
  if (e.run_time) series.run_time->observe(seconds(*e.run_time));
}

void JobEventMetrics::write(metrics::Exposition& out) const {
  out.counters("corral_job_events_total",
               "Changes to jobs committed by this node, by queue, type and event kind", events_);
  out.histograms("corral_job_queue_wait_seconds",
                 "Time jobs waited to start, from due (run_at) to leased, by queue and type", queue_wait_);
  out.histograms("corral_job_run_seconds", "Run time of ended attempts, from lease to their end, by queue and type",
                 run_time_);
}

}  // namespace corral::http
