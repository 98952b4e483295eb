// THE transition table: every change to a job's state goes through apply().
//
// kTransitions lists, one row per line of the brief's lifecycle table, which events each state
// accepts and which states they may lead to. apply() finds the row, decides the target state by the
// rules below, and returns the changed job; with no row it returns wrong_state and the job is
// untouched. Reports (heartbeat, complete, fail, release) must carry the live lease token, else
// stale_lease; resending the exact report that already won is recognised and changes nothing. A
// report that comes when its lease has run out (lease_expires_at <= now) is stale too, whether or
// not the server has expired the lease yet.
// Pure: `now` and the random draw for jitter are arguments.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"
#include "core/job_event.hpp"

#include <optional>
#include <span>
#include <string>

namespace corral::core {

enum class EventKind {
  due,        // scheduled/retrying: run_at reached -> queued
  fetch,      // queued -> running: attempt += 1, a lease is granted
  heartbeat,  // running -> running: extends the lease; progress and checkpoint
  complete,   // running -> completed
  fail,       // running -> retrying | failed | cancelled (cancel requested)
  expire,     // running -> retrying | failed | cancelled: the lease (or max_run_s) ran out
  release,    // running -> queued | scheduled: handed back, not counted as an attempt
  cancel,     // queued/scheduled/retrying -> cancelled; running -> running with cancel_requested
  retry,      // failed/cancelled -> queued with a fresh attempt budget
  start_deadline,  // queued/scheduled/waiting, never started, past start_by -> cancelled (error expired)
  parent_ended,    // waiting: one of its parents ended -> waiting (others left) | queued | scheduled
                   // (the last one) | cancelled (it failed or was cancelled: error parent_failed)
};

std::string_view to_string(EventKind k);

struct Transition {
  JobState from;
  EventKind event;
  JobState to;
};

// One row per allowed (from, event, to). An event may have several rows from one state when the
// rules pick among targets (a fail may retry, dead-letter or cancel).
std::span<Transition const> transitions();

struct Event {
  EventKind kind;
  std::string lease_token;            // heartbeat, complete, fail, release: must be the live lease
                                      // fetch: the new lease's token
  std::string worker_id;              // fetch
  std::optional<Micros> lease;        // fetch: lease length (default timeout_s);
                                      // heartbeat: extension (default: the attempt's lease length)
  std::optional<ProgressUpdate> progress;  // heartbeat, complete (optional): merged field by field
  std::optional<std::string> checkpoint;  // heartbeat, complete, fail (JSON text)
  std::optional<std::string> result;  // complete (JSON text)
  std::optional<JobError> error;      // fail; expire sets its own
  std::optional<Micros> retry_in;     // fail: replaces the backoff delay once
  Micros release_delay{0};            // release
  double unit_random = 0.5;           // fail, expire: the draw for jitter, in [0, 1)
  std::string parent_id;              // parent_ended: the parent that ended
  JobState parent_status = JobState::completed;  // parent_ended: how it ended
  std::vector<ParentOutcome> parents; // parent_ended, when it is the last: how every parent ended
};

// Convenience constructors for the common events.
Event due_event();
Event fetch_event(std::string lease_token, std::string worker_id, std::optional<Micros> lease);
Event expire_event(double unit_random);
Event cancel_event();
Event retry_event();
Event start_deadline_event();
// `parent` ended; `outcomes`: how every parent ended, needed when it is the child's last parent
// (parents_left == 1), else empty.
Event parent_ended_event(Job const& parent, std::vector<ParentOutcome> outcomes);
// What the server does with a job whose deadline_of has passed at `now`: cancels it as expired
// (its start_by), expires its lease (running), or makes it ready (its run_at).
Event deadline_event(Job const& job, TimePoint now, double unit_random);
// Whether `job`, just changed by a deadline at `now`, is due again already: a retry with no
// delay (a backoff of 0). The sweep makes it ready in the same commit: between two commits a
// fetch would find it neither running nor ready, and on a queue with max_running_per_key hand
// out the job behind it in its concurrency key first.
bool due_at_once(Job const& job, TimePoint now);

struct Applied {
  Job job;
  bool changed = true;             // false: a resent report that already won; nothing to write
  std::optional<Error> reply_error;  // set when the change must be written but the caller answers
                                     // with this error (a report after its lease ran out)
  JobEventKind kind = JobEventKind::heartbeat;  // what the change was, for its event
};

// Applies `event` to `job` at `now`. On error the job is not changed (it is taken by value).
//
// A report carrying the live lease token when that lease has run out (lease_expires_at <= now,
// the instant the sweep treats as due) changes the job as the expire event would, and comes back
// with reply_error stale_lease, or run_time_exceeded if the attempt ran past max_run_s: the
// caller writes the change and answers with the error, as it would after the sweep.
//
// A fetch of a job whose start_by has passed cancels it instead (error code expired, event
// cancelled): the caller writes that change and does not hand the job out.
Result<Applied> apply(Job job, Event const& event, TimePoint now);

// The instant the server must act on for a non-terminal job: run_at while scheduled or retrying,
// the lease expiry while running, the start-by deadline of a queued job never started (earlier
// than run_at, for a scheduled one); nullopt for other queued and terminal jobs.
std::optional<TimePoint> deadline_of(Job const& job);

// DELETE is allowed on terminal jobs only.
bool can_delete(JobState s);

}  // namespace corral::core
