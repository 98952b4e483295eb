// One log line per change to a job, from the event log: every backend's changes, in commit order,
// without the backends logging anything themselves. A listener on QueueService::events(), called
// once per append, so that a batch's lines cost one message and one write.
//
// Only this node's changes (event.local) are logged, so a PostgreSQL cluster's logs hold each
// change once, on the node that made it. Changes of state log at info; a heartbeat or a progress
// report, which a running job makes every few seconds, at debug. Each line carries the job's
// trace_id, so a job's lines join its worker's and its caller's traces.
//
// The lines carry no request_id: the change is made on the writer (or read from the cluster's
// events table) with no request in hand, and carrying one there would add it to every request and
// event. The HTTP line of a request names its request_id and the job's id, which joins the two.
#pragma once

#include "core/job_event.hpp"
#include "logging/log_line.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace corral::logging {

using EventPtr = std::shared_ptr<core::JobEvent const>;

// Writes the lines of the changes handed to it on a thread of its own: the thread that commits
// (the embedded backend's writer, which bounds a drain's throughput) copies the batch's event
// pointers and nothing more; the encoding (about 2,000 instructions a line) and the write to
// stderr happen here. A bounded hand-over that never blocks: past kMaxQueuedEvents waiting, the
// oldest batches are dropped, and their count is logged.
class JobEventLines {
 public:
  static constexpr std::size_t kMaxQueuedEvents = 100'000;

  JobEventLines();
  ~JobEventLines();   // writes every batch handed over, then stops
  JobEventLines(JobEventLines const&) = delete;
  JobEventLines& operator=(JobEventLines const&) = delete;

  // An EventLog batch listener: takes this node's events whose lines the level lets through.
  void append(std::span<EventPtr const> events);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::vector<EventPtr>> batches_;   // GUARDED_BY(mutex_)
  std::size_t queued_events_ = 0;               // GUARDED_BY(mutex_)
  std::size_t dropped_events_ = 0;              // GUARDED_BY(mutex_)
  bool stopping_ = false;                       // GUARDED_BY(mutex_)
  std::thread thread_;                          // last: starts once the members it uses exist
};

// The lines of `events` (an append's, in order), written together. Each: message "job KIND";
// fields kind, job_id, type, queue, attempt, worker_id, trace_id, and where they apply status (a
// lease_expired or timed_out: what became of the job), queue_wait_s (started), run_time_s (an
// attempt's end), run_at (due later), error_code and error_message (an attempt or the job ended
// with an error).
void log_job_events(std::span<EventPtr const> events, Via via = Via::logging_thread);

}  // namespace corral::logging
