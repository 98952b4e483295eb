// Attempts: how a failure, an expired lease or a run past max_run_s ends an attempt, when the job
// retries or dead-letters, what a release and a manual retry do to the attempt count, and what
// survives from one attempt to the next.
#include "core/transition.hpp"

#include "core/transition_steps.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using namespace test;

Event failure(std::string token, bool retryable = true) {
  return Event{.kind = EventKind::fail,
               .lease_token = std::move(token),
               .error = JobError{"boom", "it broke", retryable},
               .unit_random = 0.0};
}


TEST(Attempt, RetryableFailureWaitsForTheBackoffDelay) {
  Job const job = step(fetched(queued_job(), "lease-1"), failure("lease-1"), kT0 + seconds(10));
  EXPECT_EQ(job.status, JobState::retrying);
  EXPECT_EQ(job.run_at, kT0 + seconds(10) + delay_for(job.backoff, 1, 0.0));
  EXPECT_EQ(job.run_at, kT0 + seconds(10) + Micros(900'000));  // 1 s − 10 % jitter at u = 0
  EXPECT_EQ(job.error, (JobError{"boom", "it broke", true}));
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::failed);
  EXPECT_EQ(job.attempts.back().error, job.error);
  EXPECT_EQ(job.attempts.back().ended_at, kT0 + seconds(10));
  EXPECT_FALSE(job.lease_token);
  EXPECT_FALSE(job.lease_expires_at);
  EXPECT_FALSE(job.worker_id);
  EXPECT_FALSE(job.completed_at);
}

TEST(Attempt, MaxAttemptsCountsFetchedAttempts) {
  Job job = queued_job(3);
  for (int n = 1; n <= 3; ++n) {
    std::string const token = "lease-" + std::to_string(n);
    job = step(fetched(job, token), failure(token));
    EXPECT_EQ(job.attempt, n);
    EXPECT_EQ(job.status, n < 3 ? JobState::retrying : JobState::failed) << "attempt " << n;
    if (n < 3) job = step(job, due_event());
  }
  EXPECT_EQ(job.completed_at, kT0);
  EXPECT_EQ(job.attempts.size(), 3u);
}

TEST(Attempt, SecondRetryWaitsLongerThanTheFirst) {
  Job job = step(fetched(queued_job(), "lease-1"), failure("lease-1"));
  EXPECT_EQ(job.run_at, kT0 + Micros(900'000));
  job = step(fetched(step(job, due_event()), "lease-2"), failure("lease-2"));
  EXPECT_EQ(job.run_at, kT0 + Micros(1'800'000));
}

TEST(Attempt, NonRetryableErrorOrJobDeadLettersAtOnce) {
  Job const by_error = step(fetched(queued_job(), "lease-1"), failure("lease-1", false));
  EXPECT_EQ(by_error.status, JobState::failed);
  Job job = queued_job();
  job.retryable = false;
  Job const by_job = step(fetched(job, "lease-1"), failure("lease-1", true));
  EXPECT_EQ(by_job.status, JobState::failed);
}

TEST(Attempt, RetryInReplacesTheBackoffDelayOnce) {
  Event custom = failure("lease-1");
  custom.retry_in = seconds(42);
  Job job = step(fetched(queued_job(), "lease-1"), custom);
  EXPECT_EQ(job.run_at, kT0 + seconds(42));
  job = step(fetched(step(job, due_event()), "lease-2"), failure("lease-2"));
  EXPECT_EQ(job.run_at, kT0 + delay_for(job.backoff, 2, 0.0));
}

TEST(Attempt, FailWithoutAnErrorOrWithANegativeRetryInIsInvalid) {
  Job const running = fetched(queued_job(), "lease-1");
  EXPECT_EQ(apply(running, Event{.kind = EventKind::fail, .lease_token = "lease-1"}, kT0).error().code,
            Errc::invalid_argument);
  Event bad = failure("lease-1");
  bad.retry_in = Micros(-1);
  EXPECT_EQ(apply(running, bad, kT0).error().code, Errc::invalid_argument);
}

TEST(Attempt, ExpiredLeaseRetriesWithALeaseExpiredError) {
  Job const job = step(fetched(queued_job(), "lease-1"), expire_event(0.5), kT0 + seconds(300));
  EXPECT_EQ(job.status, JobState::retrying);
  EXPECT_EQ(job.error, (JobError{"lease_expired", "lease expired", true}));
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::lease_expired);
  EXPECT_EQ(job.run_at, kT0 + seconds(301));
}

TEST(Attempt, ExpiredLeaseOnTheLastAttemptDeadLetters) {
  Job const job = step(fetched(queued_job(1), "lease-1"), expire_event(0.5), kT0 + seconds(300));
  EXPECT_EQ(job.status, JobState::failed);
  EXPECT_EQ(job.completed_at, kT0 + seconds(300));
}

TEST(Attempt, ExpireBeforeTheLeaseEndsIsRejectedSoAHeartbeatWins) {
  Job running = fetched(queued_job(), "lease-1");
  running = step(running, report(EventKind::heartbeat, "lease-1"), kT0 + seconds(200));
  auto applied = apply(running, expire_event(0.5), kT0 + seconds(300));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, Errc::wrong_state);
}

Job running_with_max_run() {
  Job job = queued_job();
  job.max_run_s = 100;
  return fetched(job, "lease-1");
}

TEST(Attempt, HeartbeatPastMaxRunFailsTheAttemptAsTimedOut) {
  Event beat = report(EventKind::heartbeat, "lease-1");
  beat.checkpoint = R"({"page":9})";
  auto applied = must(apply(running_with_max_run(), beat, kT0 + seconds(100)));
  EXPECT_TRUE(applied.changed);
  ASSERT_TRUE(applied.reply_error);
  EXPECT_EQ(applied.reply_error->code, Errc::run_time_exceeded);
  EXPECT_EQ(applied.job.status, JobState::retrying);
  EXPECT_EQ(applied.job.error, (JobError{"timed_out", "attempt ran past max_run_s", true}));
  EXPECT_EQ(applied.job.attempts.back().outcome, AttemptOutcome::timed_out);
  // It came after the attempt's time was up, so it counts for nothing, as after the sweep.
  EXPECT_FALSE(applied.job.checkpoint);
  EXPECT_FALSE(applied.job.lease_token);
}

TEST(Attempt, HeartbeatJustBeforeMaxRunStillExtends) {
  auto applied = must(apply(running_with_max_run(), report(EventKind::heartbeat, "lease-1"),
                            kT0 + seconds(100) - Micros(1)));
  EXPECT_FALSE(applied.reply_error);
  EXPECT_EQ(applied.job.status, JobState::running);
}

TEST(Attempt, ExpiryPastMaxRunIsTimedOutNotLeaseExpired) {
  Job const job = step(running_with_max_run(), expire_event(0.5), kT0 + seconds(100));
  EXPECT_EQ(job.error, (JobError{"timed_out", "attempt ran past max_run_s", true}));
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::timed_out);
}

TEST(Attempt, ReportsAfterAMaxRunTimeoutAreRunTimeExceededNotStale) {
  Job const timed_out = step(running_with_max_run(), expire_event(0.5), kT0 + seconds(100));
  for (auto kind : {EventKind::heartbeat, EventKind::complete}) {
    auto applied = apply(timed_out, report(kind, "lease-1"), kT0 + seconds(101));
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error().code, Errc::run_time_exceeded);
  }
  EXPECT_EQ(apply(timed_out, report(EventKind::heartbeat, "other"), kT0 + seconds(101)).error().code,
            Errc::stale_lease);
}

TEST(Attempt, ReleaseHandsTheJobBackWithoutUsingAnAttempt) {
  Job job = queued_job(2);
  for (int n = 0; n < 5; ++n) {
    job = step(fetched(job, "lease-r" + std::to_string(n)),
               report(EventKind::release, "lease-r" + std::to_string(n)));
    EXPECT_EQ(job.status, JobState::queued);
    EXPECT_EQ(job.attempt, 0);
    EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::released);
    EXPECT_FALSE(job.lease_token);
  }
  job = step(fetched(job, "lease-1"), failure("lease-1"));
  EXPECT_EQ(job.status, JobState::retrying);  // attempt 1 of 2, releases did not count
  EXPECT_EQ(job.attempts.size(), 6u);
  EXPECT_EQ(job.attempts.front().number, 1);
  EXPECT_EQ(job.attempts.back().number, 1);
}

TEST(Attempt, ReleaseWithADelayIsScheduled) {
  Event release = report(EventKind::release, "lease-1");
  release.release_delay = seconds(30);
  Job const job = step(fetched(queued_job(), "lease-1"), release, kT0 + seconds(5));
  EXPECT_EQ(job.status, JobState::scheduled);
  EXPECT_EQ(job.run_at, kT0 + seconds(35));
}

TEST(Attempt, CheckpointsSurviveRetries) {
  Event beat = report(EventKind::heartbeat, "lease-1");
  beat.checkpoint = R"({"row":100})";
  Job job = step(fetched(queued_job(), "lease-1"), beat);
  job = fetched(step(step(job, failure("lease-1")), due_event()), "lease-2");
  EXPECT_EQ(job.checkpoint, beat.checkpoint);
  Event last = failure("lease-2");
  last.checkpoint = R"({"row":200})";
  job = step(job, last);
  EXPECT_EQ(job.checkpoint, last.checkpoint);
}

TEST(Attempt, ManualRetryGivesAFreshBudgetAndKeepsHistory) {
  Job dead = step(fetched(queued_job(1), "lease-1"), failure("lease-1"));
  ASSERT_EQ(dead.status, JobState::failed);
  dead.result = R"({"partial":true})";  // not reachable today, but a retry must not carry one
  Job const job = step(dead, retry_event(), kT0 + seconds(60));
  EXPECT_EQ(job.status, JobState::queued);
  EXPECT_EQ(job.attempt, 0);
  EXPECT_EQ(job.run_at, kT0 + seconds(60));
  EXPECT_FALSE(job.completed_at);
  EXPECT_FALSE(job.result);
  EXPECT_FALSE(job.cancel_requested);
  EXPECT_EQ(job.error, dead.error);
  EXPECT_EQ(job.attempts, dead.attempts);
  EXPECT_EQ(step(fetched(job, "lease-2"), failure("lease-2")).status, JobState::failed);
}

TEST(Attempt, ManualRetryOfACancelledJobClearsTheCancelRequest) {
  Job job = step(fetched(queued_job(), "lease-1"), cancel_event());
  job = step(job, failure("lease-1"));
  ASSERT_EQ(job.status, JobState::cancelled);
  job = step(job, retry_event());
  EXPECT_FALSE(job.cancel_requested);
  EXPECT_EQ(step(fetched(job, "lease-2"), failure("lease-2")).status, JobState::retrying);
}

// Two writers that read their clocks a moment apart (PostgreSQL batches side by side) may apply
// events to one job out of clock order: the later change is stamped no earlier than the last, so
// the history never shows the next attempt starting before the previous one ended.
TEST(Attempt, AClockReadBeforeTheLastChangeNeverStampsTheHistoryOutOfOrder) {
  Job job = step(fetched(queued_job(), "lease-1"), expire_event(0.0), kT0 + seconds(300));
  job = step(job, due_event(), kT0 + seconds(302));
  job = fetched(job, "lease-2", kT0 + seconds(301));   // a clock read just before the due change
  ASSERT_EQ(job.attempts.size(), 2u);
  EXPECT_EQ(job.attempts[0].ended_at, kT0 + seconds(300));
  EXPECT_EQ(job.attempts[1].started_at, kT0 + seconds(302));
  EXPECT_EQ(job.started_at, kT0 + seconds(302));
  EXPECT_EQ(job.lease_expires_at, kT0 + seconds(302 + 300));   // the default 300 s lease, from then
}

}  // namespace
}  // namespace corral::core
