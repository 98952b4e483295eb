// What the outside world hears of a committed change to a job: one JobEvent per change, in the
// order the deployment committed them. Every consumer (live streams, metrics, stats, logs, the
// dashboard) reads this one stream; none works out from jobs what changed.
//
// The kind is decided by the transition that made the change (core::apply returns it), by
// make_job for a new job (enqueued or scheduled), and by the backend for a deletion (deleted by a
// person, pruned by retention or a prune request). The sequence number is the backend's: it is
// assigned at commit, so the events of the whole deployment are totally ordered by it.
#pragma once

#include "core/job.hpp"
#include "core/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace corral::core {

// Enumerators equal their wire names.
enum class JobEventKind {
  enqueued,          // a new job, ready now
  scheduled,         // a new job, due later (run_at)
  ready,             // a scheduled or retrying job became due
  started,           // a worker leased it (an attempt began)
  progress,          // a heartbeat that reported progress
  heartbeat,         // a heartbeat without progress (a lease renewed, a checkpoint)
  cancel_requested,  // cancel asked of a running job: the worker decides
  released,          // the worker handed it back unrun
  retrying,          // an attempt failed; it will run again after its backoff
  completed,
  failed,            // failed for good: the dead letter
  cancelled,
  lease_expired,     // its worker stopped renewing the lease; `status` says what became of it
  timed_out,         // the attempt ran past max_run_s; `status` says what became of it
  retried,           // a person retried a failed or cancelled job
  deleted,           // a person deleted it
  pruned,            // retention or a prune request deleted it
  waiting,           // a new job, waiting for its parents (depends_on) to end
  parent_ended,      // one of its parents ended; it still waits for others (parents_left)
};

std::span<JobEventKind const> all_job_event_kinds();
std::string_view to_string(JobEventKind k);
std::optional<JobEventKind> parse_job_event_kind(std::string_view s);

struct JobEvent {
  std::int64_t seq = 0;              // deployment-wide order, assigned at commit
  JobEventKind kind = JobEventKind::enqueued;
  TimePoint at{};                    // when the change was made
  std::string job_id;
  std::string queue;
  std::string type;
  std::optional<std::string> owner;
  int priority = 0;
  JobState status = JobState::queued;   // the job's state after the change (before it, if deleted)
  int attempt = 0;
  std::optional<std::string> worker_id;  // the attempt's worker, where there is one
  std::string trace_id;
  std::optional<Progress> progress;      // progress: the job's progress after the report
  std::optional<std::string> result;     // completed: the result (JSON text)
  std::optional<JobError> error;         // an attempt or the job ended with an error
  std::optional<TimePoint> run_at;       // scheduled, retrying, released with a delay: when it is due
  std::optional<Micros> queue_wait;      // started: from due (run_at) to the start
  std::optional<Micros> run_time;        // an attempt's end: from its start to now
  bool local = true;                     // committed by this node (not on the wire)
  bool webhook = false;                  // the change put its job's webhook in the outbox (not on
                                         // the wire)
  bool operator==(JobEvent const&) const = default;
};

// A new job's kind: enqueued when it is ready at once, else scheduled.
JobEventKind arrival_kind(Job const& job);

// The event recording that `job` (as it is after the change) underwent a change of `kind` at `at`.
JobEvent event_of(JobEventKind kind, Job const& job, TimePoint at);
// The same from a job the caller is done with: its strings are moved, not copied.
JobEvent event_of(JobEventKind kind, Job&& job, TimePoint at);

// True for the last event a job can have until someone retries it: it ended, or is gone.
bool ends_job(JobEvent const& e);

}  // namespace corral::core
