// The job events this node commits, as /metrics counts them: corral_job_events_total by queue,
// type and kind, and histograms of the time jobs waited in their queue (from due to started) and
// of their attempts' run time, by queue and type, taken from the events' queue_wait and run_time.
//
// It counts only events committed by this node (event.local): on PostgreSQL every node's log
// holds the whole cluster's events, so summing the counters over the nodes counts each change
// once.
//
// The listener runs on the committing thread for every event, so it is kept cheap: the first
// event of a (queue, type) resolves that pair's counters and histograms once; every later one
// costs one lookup, an atomic increment and, for a start or an attempt's end, an observation,
// without allocating.
//
// Thread-safe.
#pragma once

#include "core/job_event.hpp"
#include "metrics/counter.hpp"
#include "metrics/exposition.hpp"
#include "metrics/histogram.hpp"
#include "metrics/labeled.hpp"
#include "queue/event_log.hpp"

#include <memory>
#include <vector>

namespace corral::http {

class JobEventMetrics {
 public:
  // A JobEventMetrics that counts every event `log` appends from now on. The log's listener
  // shares ownership, since a log has no way to unsubscribe.
  static std::shared_ptr<JobEventMetrics> observe(queue::EventLog& log);
  JobEventMetrics();
  JobEventMetrics(JobEventMetrics const&) = delete;
  JobEventMetrics& operator=(JobEventMetrics const&) = delete;

  void record(core::JobEvent const& e);
  void write(metrics::Exposition& out) const;

 private:
  // One (queue, type)'s instruments, resolved at its first event.
  struct Series {
    std::vector<metrics::Counter*> by_kind;   // indexed by JobEventKind
    metrics::Histogram* queue_wait;
    metrics::Histogram* run_time;
  };
  std::unique_ptr<Series> resolve(std::span<std::string const> queue_and_type);

  metrics::Labeled<metrics::Counter> events_{{"queue", "type", "kind"}};
  metrics::Labeled<metrics::Histogram> queue_wait_;
  metrics::Labeled<metrics::Histogram> run_time_;
  metrics::Labeled<Series> series_;
};

}  // namespace corral::http
