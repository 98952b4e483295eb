// The transition table and apply(): the only code that changes a job's state.
//
// apply() runs in three steps. (1) Gate: a report (heartbeat, complete, fail, release) must carry
// the live lease token; a resend of the report that already won is a no-op; any other token is
// stale_lease, whatever the state, so a worker whose lease expired learns exactly that. A report
// with the live token on a lease that has run out is late: the job undergoes the expiry instead
// (see late_report_error). Other events need a row for (state, event), else wrong_state. (2) One
// handler per event mutates the job, which apply() owns by value, so an error leaves the caller's
// job untouched. (3) The state the handler chose must itself be a row of kTransitions: the table,
// not the handlers, has the last word. Rejected: a table of function pointers per row, which
// hides the shared failure path (fail and expire end an attempt the same way).
#include "core/transition.hpp"

#include "core/dependencies.hpp"
#include "core/enqueue_spec.hpp"
#include "core/progress_rules.hpp"
#include "core/start_deadline.hpp"

#include <algorithm>
#include <utility>

namespace corral::core {

namespace {

using S = JobState;
using E = EventKind;

constexpr Transition kTransitions[] = {
    {S::scheduled, E::due, S::queued},
    {S::retrying, E::due, S::queued},
    {S::queued, E::fetch, S::running},
    {S::running, E::heartbeat, S::running},
    {S::running, E::complete, S::completed},
    {S::running, E::fail, S::retrying},
    {S::running, E::fail, S::failed},
    {S::running, E::fail, S::cancelled},  // cancel was requested while it ran
    {S::running, E::expire, S::retrying},
    {S::running, E::expire, S::failed},
    {S::running, E::expire, S::cancelled},
    {S::running, E::release, S::queued},
    {S::running, E::release, S::scheduled},
    // Cancel was requested while it ran: the release is its "next report", so it ends here
    // instead of being handed to another worker only to be cancelled there.
    {S::running, E::release, S::cancelled},
    {S::queued, E::cancel, S::cancelled},
    {S::scheduled, E::cancel, S::cancelled},
    {S::retrying, E::cancel, S::cancelled},
    {S::running, E::cancel, S::running},  // only sets cancel_requested; the worker decides
    {S::failed, E::retry, S::queued},
    {S::cancelled, E::retry, S::queued},
    // Not started by its start_by: of no use to whoever enqueued it any more.
    {S::queued, E::start_deadline, S::cancelled},
    {S::scheduled, E::start_deadline, S::cancelled},
    {S::waiting, E::start_deadline, S::cancelled},
    // Its parents end one by one; the last makes it ready, or due later. One that fails for good
    // or is cancelled cancels it, unless it runs anyway (on_parent_failure "run").
    {S::waiting, E::parent_ended, S::waiting},
    {S::waiting, E::parent_ended, S::queued},
    {S::waiting, E::parent_ended, S::scheduled},
    {S::waiting, E::parent_ended, S::cancelled},
    {S::waiting, E::cancel, S::cancelled},
};

bool has_row(JobState from, EventKind event) {
  return std::any_of(std::begin(kTransitions), std::end(kTransitions),
                     [&](Transition const& t) { return t.from == from && t.event == event; });
}

bool has_row(JobState from, EventKind event, JobState to) {
  return std::any_of(std::begin(kTransitions), std::end(kTransitions), [&](Transition const& t) {
    return t.from == from && t.event == event && t.to == to;
  });
}

bool is_report(EventKind k) {
  return k == E::heartbeat || k == E::complete || k == E::fail || k == E::release;
}

Error invalid(std::string message) {
  return make_error(Errc::invalid_argument, std::move(message));
}

Error wrong_state(JobState from, EventKind event) {
  return make_error(Errc::wrong_state, "job is " + std::string(to_string(from)) + "; cannot " +
                                           std::string(to_string(event)));
}

// An empty token never matches: it would otherwise match a corrupt empty lease.
bool holds_live_lease(Job const& job, std::string const& token) {
  return job.status == S::running && !token.empty() && job.lease_token == token;
}

// The attempt whose lease `token` was, from the history (tokens are unique per attempt).
Attempt const* attempt_leased_by(Job const& job, std::string const& token) {
  if (token.empty()) return nullptr;
  auto it = std::find_if(job.attempts.begin(), job.attempts.end(),
                         [&](Attempt const& a) { return a.lease_token == token; });
  return it == job.attempts.end() ? nullptr : &*it;
}

// The outcome a report leaves on its attempt, which a resend of that report finds there.
std::optional<AttemptOutcome> outcome_left_by(EventKind kind) {
  switch (kind) {
    case E::complete: return AttemptOutcome::completed;
    case E::fail: return AttemptOutcome::failed;
    case E::release: return AttemptOutcome::released;
    default: return std::nullopt;
  }
}

std::optional<TimePoint> max_run_end(Job const& job) {
  if (!job.max_run_s || !job.started_at) return std::nullopt;
  return *job.started_at + seconds_to_micros(*job.max_run_s);
}

bool past_max_run(Job const& job, TimePoint now) {
  auto end = max_run_end(job);
  return end && now >= *end;
}

// A lease runs out AT its lease_expires_at: from that instant the sweep may expire it (the
// embedded backend's ReadyIndex::due and the PostgreSQL sweep both take deadline <= now), and a
// report on it is late. A lease never outlives max_run_s (lease_end), so a run past max_run_s has
// always run out its lease too.
bool lease_ran_out(Job const& job, TimePoint now) {
  return job.lease_expires_at && *job.lease_expires_at <= now;
}

// A lease never outlives the attempt's max_run_s, so expiry (not a heartbeat) ends it in time.
TimePoint lease_end(Job const& job, Micros lease, TimePoint now) {
  TimePoint end = now + lease;
  if (auto cap = max_run_end(job)) end = std::min(end, *cap);
  return end;
}

void clear_lease(Job& job) {
  job.lease_token.reset();
  job.lease_expires_at.reset();
  job.worker_id.reset();
}

// What a handler reports besides the mutated job.
struct Step {
  bool changed = true;
};

// The attempt a live lease belongs to: the last one, still running. A running job without one is
// corrupt data, reported as internal rather than guessed at.
Result<Attempt*> open_attempt(Job& job) {
  if (job.attempts.empty() || job.attempts.back().outcome != AttemptOutcome::running) {
    return make_error(Errc::internal, "running job " + job.id + " has no open attempt");
  }
  return &job.attempts.back();
}

// Shared by fail, expire and a heartbeat past max_run_s: closes the attempt, then picks the
// target. A requested cancel wins over a retry; otherwise retry while the error, the job and the
// attempt budget all allow it.
Result<Step> end_attempt(Job& job, AttemptOutcome outcome, JobError error,
                         std::optional<Micros> retry_in, double unit_random, TimePoint now) {
  auto attempt = open_attempt(job);
  if (!attempt) return attempt.error();
  (*attempt)->outcome = outcome;
  (*attempt)->ended_at = now;
  (*attempt)->error = error;

  bool const may_retry = error.retryable && job.retryable && job.attempt < job.max_attempts;
  job.error = std::move(error);
  clear_lease(job);
  if (job.cancel_requested) {
    job.status = S::cancelled;
    job.completed_at = now;
  } else if (may_retry) {
    job.status = S::retrying;
    job.run_at = now + retry_in.value_or(delay_for(job.backoff, job.attempt, unit_random));
  } else {
    job.status = S::failed;
    job.completed_at = now;
  }
  return Step{};
}

Result<Step> on_fetch(Job& job, Event const& e, TimePoint now) {
  if (e.lease_token.empty()) return invalid("lease_token must not be empty");
  // worker_id is optional on a fetch; when given it must be printable.
  if (!e.worker_id.empty()) {
    if (auto err = check_printable("worker_id", e.worker_id)) return *err;
  }
  if (e.lease && *e.lease <= Micros{0}) return invalid("lease must be positive");
  job.attempt += 1;
  Micros const lease = e.lease.value_or(seconds_to_micros(job.timeout_s));
  job.attempts.push_back(Attempt{.number = job.attempt,
                                 .started_at = now,
                                 .worker_id = e.worker_id,
                                 .outcome = AttemptOutcome::running,
                                 .lease_token = e.lease_token,
                                 .lease = lease});
  job.status = S::running;
  job.lease_token = e.lease_token;
  job.worker_id = e.worker_id;
  job.started_at = now;
  job.lease_expires_at = lease_end(job, lease, now);
  restart_progress(job);
  return Step{};
}

// A report's progress, merged field by field; a stage it names may begin a declared stage.
void take_progress(Job& job, ProgressUpdate const& update, TimePoint now) {
  job.progress = merge(std::move(job.progress), update);
  if (update.stage && *update.stage) enter_stage(job.stages, **update.stage, now);
}

Result<Step> on_heartbeat(Job& job, Event const& e, TimePoint now) {
  if (e.lease && *e.lease <= Micros{0}) return invalid("lease must be positive");
  if (e.checkpoint) job.checkpoint = e.checkpoint;
  if (e.progress) {
    take_progress(job, *e.progress, now);
    note_progress(job.estimate, job.progress, now);
  }
  // Without extend_s, the lease is renewed for as long as the fetch granted.
  Micros fetched_lease = seconds_to_micros(job.timeout_s);
  if (auto attempt = open_attempt(job); attempt && (*attempt)->lease > Micros{0}) fetched_lease = (*attempt)->lease;
  job.lease_expires_at = lease_end(job, e.lease.value_or(fetched_lease), now);
  return Step{};
}

Result<Step> on_complete(Job& job, Event const& e, TimePoint now) {
  auto attempt = open_attempt(job);
  if (!attempt) return attempt.error();
  (*attempt)->outcome = AttemptOutcome::completed;
  (*attempt)->ended_at = now;
  job.status = S::completed;  // even if cancel was requested: the work is done
  job.result = e.result;
  // The errors of earlier attempts stay in their history; a completed job shows none.
  job.error.reset();
  if (e.progress) take_progress(job, *e.progress, now);
  end_current_stage(job.stages, now);
  if (e.checkpoint) job.checkpoint = e.checkpoint;
  job.completed_at = now;
  clear_lease(job);
  return Step{};
}

Result<Step> on_fail(Job& job, Event const& e, TimePoint now) {
  if (!e.error) return invalid("error is required to fail a job");
  if (e.retry_in && *e.retry_in < Micros{0}) return invalid("retry_in must not be negative");
  if (e.checkpoint) job.checkpoint = e.checkpoint;
  return end_attempt(job, AttemptOutcome::failed, *e.error, e.retry_in, e.unit_random, now);
}

Result<Step> on_expire(Job& job, Event const& e, TimePoint now) {
  // The sweep read an older expiry; a heartbeat has extended the lease since, so it must not win.
  if (job.lease_expires_at && !lease_ran_out(job, now)) {
    return make_error(Errc::wrong_state, "job's lease has not expired; cannot expire");
  }
  if (past_max_run(job, now)) {
    return end_attempt(job, AttemptOutcome::timed_out,
                       JobError{"timed_out", "attempt ran past max_run_s", true}, std::nullopt,
                       e.unit_random, now);
  }
  return end_attempt(job, AttemptOutcome::lease_expired,
                     JobError{"lease_expired", "lease expired", true}, std::nullopt, e.unit_random,
                     now);
}

// A release hands the job back unrun (e.g. a worker shutting down), so it does not use up an
// attempt: the next fetch reuses the number.
Result<Step> on_release(Job& job, Event const& e, TimePoint now) {
  if (e.release_delay < Micros{0}) return invalid("release_delay must not be negative");
  auto attempt = open_attempt(job);
  if (!attempt) return attempt.error();
  (*attempt)->outcome = AttemptOutcome::released;
  (*attempt)->ended_at = now;
  job.attempt -= 1;
  clear_lease(job);
  if (job.cancel_requested) {
    job.status = S::cancelled;
    job.completed_at = now;
  } else {
    job.run_at = now + e.release_delay;
    job.status = e.release_delay > Micros{0} ? S::scheduled : S::queued;
  }
  return Step{};
}

Result<Step> on_cancel(Job& job, TimePoint now) {
  if (job.status == S::running) {
    if (job.cancel_requested) return Step{.changed = false};  // asked twice: nothing new to write
    job.cancel_requested = true;
    return Step{};
  }
  job.status = S::cancelled;
  job.completed_at = now;
  return Step{};
}

// A fresh attempt budget; history, the last error and the checkpoint stay for the next run.
Result<Step> on_retry(Job& job, TimePoint now) {
  job.status = S::queued;
  job.attempt = 0;
  job.run_at = now;
  job.cancel_requested = false;
  job.completed_at.reset();
  job.result.reset();
  return Step{};
}

// A deadline read earlier (an index entry, a sweep's select) may no longer hold: the job started
// meanwhile, or had none; then nothing happens, and wrong_state says so.
Result<Step> on_start_deadline(Job& job, TimePoint now) {
  if (!start_expired(job, now)) return make_error(Errc::wrong_state, "job's start_by has not passed; cannot expire it");
  job.status = S::cancelled;
  job.completed_at = now;
  job.error = start_expired_error();
  return Step{};
}

Result<Step> on_parent_ended(Job& job, Event const& e, TimePoint now) {
  if (!is_terminal(e.parent_status)) return invalid("parent_ended needs the parent's end");
  job.parents_left = std::max(0, job.parents_left - 1);
  if (e.parent_status != S::completed && job.on_parent_failure == OnParentFailure::cancel) {
    job.status = S::cancelled;
    job.completed_at = now;
    job.error = parent_failed_error(e.parent_id, e.parent_status);
    return Step{};
  }
  if (job.parents_left > 0) return Step{};
  job.parents = e.parents;
  // Waiting counted as waiting for its run_at too: due now, or later.
  job.status = job.run_at > now ? S::scheduled : S::queued;
  return Step{};
}

Result<Step> run_handler(Job& job, Event const& e, TimePoint now) {
  switch (e.kind) {
    case E::due: job.status = S::queued; return Step{};  // run_at stays: it records when it was due
    case E::fetch: return on_fetch(job, e, now);
    case E::heartbeat: return on_heartbeat(job, e, now);
    case E::complete: return on_complete(job, e, now);
    case E::fail: return on_fail(job, e, now);
    case E::expire: return on_expire(job, e, now);
    case E::release: return on_release(job, e, now);
    case E::cancel: return on_cancel(job, now);
    case E::retry: return on_retry(job, now);
    case E::start_deadline: return on_start_deadline(job, now);
    case E::parent_ended: return on_parent_ended(job, e, now);
  }
  return make_error(Errc::internal, "unknown event");
}

// A report that comes after its lease ran out is judged as if the sweep had expired the lease
// first, which it may not have yet: it acts on a bounded number of deadlines at a time (and on
// PostgreSQL once per tick), so a report could otherwise still win a lease that had run out. The
// job undergoes the expiry (written like any change), and the report gets the answer a report
// after the sweep gets: run_time_exceeded if max_run_s ended the attempt, else stale_lease.
Error late_report_error(Job const& job) {
  if (!job.attempts.empty() && job.attempts.back().outcome == AttemptOutcome::timed_out) {
    return make_error(Errc::run_time_exceeded, "the attempt ran past max_run_s; it has been failed as timed_out");
  }
  return make_error(Errc::stale_lease, "the lease expired before this report; the attempt has ended as lease_expired");
}

// What a change the handler made is called in the event stream: the event that made it, and for
// an attempt's end, what became of the job.
JobEventKind kind_of(Event const& e, Job const& job) {
  using K = JobEventKind;
  auto const ended_by = [&job](K otherwise) {
    if (job.status == S::cancelled) return K::cancelled;
    if (job.status == S::failed) return K::failed;
    return otherwise;
  };
  switch (e.kind) {
    case E::due: return K::ready;
    case E::fetch: return K::started;
    case E::heartbeat: return e.progress ? K::progress : K::heartbeat;
    case E::complete: return K::completed;
    case E::fail: return ended_by(K::retrying);
    case E::expire:
      // Which deadline ran out matters more than where the job went; `status` says that.
      return !job.attempts.empty() && job.attempts.back().outcome == AttemptOutcome::timed_out ? K::timed_out
                                                                                               : K::lease_expired;
    case E::release: return job.status == S::cancelled ? K::cancelled : K::released;
    case E::cancel: return job.status == S::running ? K::cancel_requested : K::cancelled;
    case E::retry: return K::retried;
    case E::start_deadline: return K::cancelled;
    case E::parent_ended:
      if (job.status == S::queued) return K::ready;
      if (job.status == S::scheduled) return K::scheduled;
      return job.status == S::cancelled ? K::cancelled : K::parent_ended;
  }
  return K::heartbeat;
}

}  // namespace

std::string_view to_string(EventKind k) {
  switch (k) {
    case E::due: return "due";
    case E::fetch: return "fetch";
    case E::heartbeat: return "heartbeat";
    case E::complete: return "complete";
    case E::fail: return "fail";
    case E::expire: return "expire";
    case E::release: return "release";
    case E::cancel: return "cancel";
    case E::retry: return "retry";
    case E::start_deadline: return "start_deadline";
    case E::parent_ended: return "parent_ended";
  }
  return "unknown";  // unreachable for a valid enumerator
}

std::span<Transition const> transitions() { return kTransitions; }

Event due_event() { return Event{.kind = E::due}; }

Event fetch_event(std::string lease_token, std::string worker_id, std::optional<Micros> lease) {
  return Event{.kind = E::fetch,
               .lease_token = std::move(lease_token),
               .worker_id = std::move(worker_id),
               .lease = lease};
}

Event expire_event(double unit_random) {
  return Event{.kind = E::expire, .unit_random = unit_random};
}
Event cancel_event() { return Event{.kind = E::cancel}; }
Event retry_event() { return Event{.kind = E::retry}; }
Event start_deadline_event() { return Event{.kind = E::start_deadline}; }

Event parent_ended_event(Job const& parent, std::vector<ParentOutcome> outcomes) {
  return Event{.kind = E::parent_ended, .parent_id = parent.id, .parent_status = parent.status,
               .parents = std::move(outcomes)};
}

Event deadline_event(Job const& job, TimePoint now, double unit_random) {
  if (start_expired(job, now)) return start_deadline_event();
  return job.status == S::running ? expire_event(unit_random) : due_event();
}

bool due_at_once(Job const& job, TimePoint now) { return job.status == S::retrying && job.run_at <= now; }

Result<Applied> apply(Job job, Event const& event, TimePoint now) {
  // A job's history never runs backwards. Writers that run side by side (the PostgreSQL
  // backend's batches, several nodes) each read their clock when their batch begins; a batch
  // that read it a moment before another batch's change to this job committed must not stamp the
  // next attempt as starting before the previous one ended.
  now = std::max(now, job.updated_at);
  JobState const from = job.status;
  if (is_report(event.kind) && !holds_live_lease(job, event.lease_token)) {
    if (auto const* ended = attempt_leased_by(job, event.lease_token)) {
      // The report won but its reply was lost and it came again: nothing changes, so the
      // retry of a network call cannot fail a completed job.
      if (outcome_left_by(event.kind) == ended->outcome) return Applied{std::move(job), false, std::nullopt, {}};
      // The attempt was ended for running past max_run_s: say so, not just "stale", so the
      // worker knows its work was cut off and why.
      if (ended->outcome == AttemptOutcome::timed_out) {
        return make_error(Errc::run_time_exceeded, "the attempt ran past max_run_s and was failed as timed_out");
      }
    }
    return make_error(Errc::stale_lease, "lease token is not the job's live lease");
  }
  // The live lease, but it has run out: the job undergoes the expiry instead of the report.
  std::optional<Event> expiry;
  if (is_report(event.kind) && lease_ran_out(job, now)) expiry = expire_event(event.unit_random);
  // A fetch after the start-by deadline, before the server acted on it: the job is cancelled as
  // the deadline would have, not started late; the caller hands out only running jobs.
  std::optional<Event> missed_start;
  if (event.kind == E::fetch && start_expired(job, now)) missed_start = start_deadline_event();
  Event const& effective = expiry ? *expiry : missed_start ? *missed_start : event;
  if (!has_row(from, effective.kind)) return wrong_state(from, effective.kind);

  auto step = run_handler(job, effective, now);
  if (!step) return step.error();
  if (!step->changed) return Applied{std::move(job), false, std::nullopt, {}};
  if (!has_row(from, effective.kind, job.status)) {
    return make_error(Errc::internal, "no transition " + std::string(to_string(from)) + " -" +
                                          std::string(to_string(effective.kind)) + "-> " +
                                          std::string(to_string(job.status)));
  }
  // A request to cancel means "stop running"; once the job has ended it is answered (the job
  // is cancelled, or finished first), so a job at rest never shows one pending.
  if (is_terminal(job.status)) job.cancel_requested = false;
  job.updated_at = now;
  std::optional<Error> reply_error;
  if (expiry) reply_error = late_report_error(job);
  auto const kind = kind_of(effective, job);
  return Applied{std::move(job), true, std::move(reply_error), kind};
}

std::optional<TimePoint> deadline_of(Job const& job) {
  auto const start_by = pending_start_by(job);
  switch (job.status) {
    case S::queued: return start_by;
    case S::waiting: return start_by;
    case S::scheduled: return start_by ? std::min(job.run_at, *start_by) : job.run_at;
    case S::retrying: return job.run_at;
    case S::running: return job.lease_expires_at;
    default: return std::nullopt;
  }
}

bool can_delete(JobState s) { return is_terminal(s); }

}  // namespace corral::core
