// The lifecycle table, checked exhaustively: every (state, event) pair is tried on a job that
// really is in that state (reached through apply itself), and the outcome is compared with the
// brief's table, written out here independently of kTransitions.
#include "core/transition.hpp"

#include "core/transition_steps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace corral::core {
namespace {

using S = JobState;
using E = EventKind;

using namespace test;

constexpr E kAllEvents[] = {E::due,    E::fetch,   E::heartbeat, E::complete, E::fail,          E::expire,
                            E::release, E::cancel, E::retry,     E::start_deadline, E::parent_ended};

// A job in state `s`, reached the way production reaches it. Its only lease token is "lease-1".
Job job_in(S s) {
  Job queued{.id = "j1", .type = "t", .run_at = kT0, .created_at = kT0, .updated_at = kT0};
  Job running = step(queued, fetch_event("lease-1", "w1", std::nullopt));
  switch (s) {
    case S::queued: return queued;
    case S::scheduled:
      return step(
          running,
          Event{.kind = E::release, .lease_token = "lease-1", .release_delay = Micros(60'000'000)});
    case S::running: return running;
    case S::retrying: return step(running, report(E::fail, "lease-1"));
    case S::completed: return step(running, report(E::complete, "lease-1"));
    case S::failed: {
      Event fatal = report(E::fail, "lease-1");
      fatal.error->retryable = false;
      return step(running, fatal);
    }
    case S::cancelled: return step(queued, cancel_event());
    case S::waiting: {
      Job waiting = queued;
      waiting.status = S::waiting;   // as join_parents leaves a job with two parents to wait for
      waiting.depends_on = {"p1", "p2"};
      waiting.parents_left = 2;
      return waiting;
    }
  }
  return queued;
}

// The event of kind `k` a well-behaved caller would send to `job`: reports carry the job's live
// token, or one never issued when the job holds no lease.
Event event_for(E k, Job const& job) {
  switch (k) {
    case E::due: return due_event();
    case E::fetch: return fetch_event("lease-2", "w2", std::nullopt);
    case E::expire: return expire_event(0.5);
    case E::cancel: return cancel_event();
    case E::retry: return retry_event();
    case E::start_deadline: return start_deadline_event();
    case E::parent_ended: {
      Job parent{.id = "p1", .status = S::completed};
      return parent_ended_event(parent, {});
    }
    default: return report(k, job.lease_token.value_or("never-issued"));
  }
}

bool is_report(E k) {
  return k == E::heartbeat || k == E::complete || k == E::fail || k == E::release;
}

// The brief's lifecycle table, plus release of a cancel-requested job. (A report after its lease
// ran out, a heartbeat past max_run_s among them, takes the expire rows.)
std::set<std::tuple<S, E, S>> const kBriefRows = {
    {S::scheduled, E::due, S::queued},        {S::retrying, E::due, S::queued},
    {S::queued, E::fetch, S::running},        {S::running, E::heartbeat, S::running},
    {S::running, E::complete, S::completed},
    {S::running, E::fail, S::retrying},       {S::running, E::fail, S::failed},
    {S::running, E::fail, S::cancelled},      {S::running, E::expire, S::retrying},
    {S::running, E::expire, S::failed},       {S::running, E::expire, S::cancelled},
    {S::running, E::release, S::queued},      {S::running, E::release, S::scheduled},
    {S::running, E::release, S::cancelled},   {S::queued, E::cancel, S::cancelled},
    {S::scheduled, E::cancel, S::cancelled},  {S::retrying, E::cancel, S::cancelled},
    {S::running, E::cancel, S::running},      {S::failed, E::retry, S::queued},
    {S::cancelled, E::retry, S::queued},
    // A job not started by its start_by (start_deadline_test.cpp).
    {S::queued, E::start_deadline, S::cancelled},  {S::scheduled, E::start_deadline, S::cancelled},
    // A job waiting for its parents (dependencies_test.cpp).
    {S::waiting, E::start_deadline, S::cancelled}, {S::waiting, E::cancel, S::cancelled},
    {S::waiting, E::parent_ended, S::waiting},     {S::waiting, E::parent_ended, S::queued},
    {S::waiting, E::parent_ended, S::scheduled},   {S::waiting, E::parent_ended, S::cancelled},
};

bool brief_allows(S from, E event) {
  return std::any_of(kBriefRows.begin(), kBriefRows.end(), [&](auto const& row) {
    return std::get<0>(row) == from && std::get<1>(row) == event;
  });
}

TEST(Transition, TableHoldsExactlyTheBriefsRows) {
  std::set<std::tuple<S, E, S>> rows;
  for (Transition const& t : transitions()) {
    EXPECT_TRUE(rows.insert({t.from, t.event, t.to}).second)
        << "duplicate row " << to_string(t.from) << " " << to_string(t.event);
  }
  EXPECT_EQ(rows, kBriefRows);
}

TEST(Transition, EveryAllowedPairSucceedsWithATargetFromTheTable) {
  TimePoint const in_lease = kT0 + Micros(1'000'000);        // reports come while it is live
  TimePoint const after_lease = kT0 + Micros(3600'000'000);  // every lease has run out
  for (S s : kAllStates) {
    for (E k : kAllEvents) {
      // Allowed only past a start_by, which job_in's jobs have none of: start_deadline_test.cpp.
      if (!brief_allows(s, k) || k == E::start_deadline) continue;
      SCOPED_TRACE(std::string(to_string(s)) + " + " + std::string(to_string(k)));
      Job const job = job_in(s);
      ASSERT_EQ(job.status, s);
      TimePoint const at = is_report(k) ? in_lease : after_lease;
      auto applied = apply(job, event_for(k, job), at);
      ASSERT_TRUE(applied) << applied.error().message;
      EXPECT_TRUE(applied->changed);
      EXPECT_FALSE(applied->reply_error);
      EXPECT_TRUE(kBriefRows.count({s, k, applied->job.status}))
          << "landed in " << to_string(applied->job.status);
      EXPECT_EQ(applied->job.updated_at, at);
    }
  }
}

TEST(Transition, EveryForbiddenPairIsRejectedAndChangesNothing) {
  int rejected = 0;
  for (S s : kAllStates) {
    for (E k : kAllEvents) {
      if (brief_allows(s, k)) continue;
      SCOPED_TRACE(std::string(to_string(s)) + " + " + std::string(to_string(k)));
      Job const job = job_in(s);
      Job const before = job;
      auto applied = apply(job, event_for(k, job), kT0 + Micros(3600'000'000));
      ASSERT_FALSE(applied);
      // A report from a worker that holds no lease is told exactly that, whatever the state.
      if (is_report(k)) {
        EXPECT_EQ(applied.error().code, Errc::stale_lease);
      } else {
        EXPECT_EQ(applied.error().code, Errc::wrong_state);
        EXPECT_EQ(applied.error().message,
                  "job is " + std::string(to_string(s)) + "; cannot " + std::string(to_string(k)));
      }
      EXPECT_EQ(job, before);
      ++rejected;
    }
  }
  EXPECT_EQ(rejected, 8 * 11 - 19);  // 19 allowed (state, event) pairs
}

TEST(Transition, WrongStateMessageNamesTheStateAndTheEvent) {
  auto applied = apply(job_in(S::completed), cancel_event(), kT0);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error(), make_error(Errc::wrong_state, "job is completed; cannot cancel"));
}

TEST(Transition, DueKeepsTheInstantTheJobWasDue) {
  Job const scheduled = job_in(S::scheduled);
  Job const queued = step(scheduled, due_event(), kT0 + Micros(90'000'000));
  EXPECT_EQ(queued.status, S::queued);
  EXPECT_EQ(queued.run_at, scheduled.run_at);
}

TEST(Transition, DeadlineIsRunAtWhileWaitingAndLeaseExpiryWhileRunning) {
  Job const scheduled = job_in(S::scheduled);
  EXPECT_EQ(deadline_of(scheduled), scheduled.run_at);
  Job const retrying = job_in(S::retrying);
  EXPECT_EQ(deadline_of(retrying), retrying.run_at);
  Job const running = job_in(S::running);
  EXPECT_EQ(deadline_of(running), kT0 + Micros(300'000'000));
  for (S s : {S::queued, S::completed, S::failed, S::cancelled, S::waiting}) {
    EXPECT_EQ(deadline_of(job_in(s)), std::nullopt) << to_string(s);
  }
}

TEST(Transition, OnlyTerminalJobsCanBeDeleted) {
  for (S s : kAllStates) EXPECT_EQ(can_delete(s), is_terminal(s)) << to_string(s);
}

TEST(Transition, EventNamesAreTheEnumeratorNames) {
  EXPECT_EQ(to_string(E::due), "due");
  EXPECT_EQ(to_string(E::fetch), "fetch");
  EXPECT_EQ(to_string(E::heartbeat), "heartbeat");
  EXPECT_EQ(to_string(E::complete), "complete");
  EXPECT_EQ(to_string(E::fail), "fail");
  EXPECT_EQ(to_string(E::expire), "expire");
  EXPECT_EQ(to_string(E::release), "release");
  EXPECT_EQ(to_string(E::cancel), "cancel");
  EXPECT_EQ(to_string(E::retry), "retry");
  EXPECT_EQ(to_string(E::parent_ended), "parent_ended");
}

TEST(Transition, ConvenienceConstructorsFillTheirEvent) {
  Event const fetch = fetch_event("tok", "w", Micros(5));
  EXPECT_EQ(fetch.kind, E::fetch);
  EXPECT_EQ(fetch.lease_token, "tok");
  EXPECT_EQ(fetch.worker_id, "w");
  EXPECT_EQ(fetch.lease, Micros(5));
  EXPECT_EQ(expire_event(0.25).unit_random, 0.25);
  EXPECT_EQ(due_event().kind, E::due);
  EXPECT_EQ(cancel_event().kind, E::cancel);
  EXPECT_EQ(retry_event().kind, E::retry);
}

}  // namespace
}  // namespace corral::core
