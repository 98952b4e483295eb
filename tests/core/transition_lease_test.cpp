// Leases: how a job is handed to a worker, how its reports are fenced by the lease token and by
// the lease's expiry, how a resent report is recognised, and how a cancel meets the worker's next
// report.
#include "core/transition.hpp"

#include "core/transition_steps.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using namespace test;

// The outcome a report that counts leaves on its attempt (a heartbeat leaves it running).
AttemptOutcome outcome_of(EventKind kind) {
  switch (kind) {
    case EventKind::complete: return AttemptOutcome::completed;
    case EventKind::fail: return AttemptOutcome::failed;
    case EventKind::release: return AttemptOutcome::released;
    default: return AttemptOutcome::running;
  }
}

TEST(Lease, FetchGrantsALeaseOfTimeoutLengthAndOpensAttemptOne) {
  Job const job = fetched(queued_job(), "lease-1", kT0 + seconds(1));
  EXPECT_EQ(job.status, JobState::running);
  EXPECT_EQ(job.attempt, 1);
  EXPECT_EQ(job.lease_token, "lease-1");
  EXPECT_EQ(job.worker_id, "worker-1");
  EXPECT_EQ(job.started_at, kT0 + seconds(1));
  EXPECT_EQ(job.lease_expires_at, kT0 + seconds(301));
  EXPECT_EQ(job.updated_at, kT0 + seconds(1));
  ASSERT_EQ(job.attempts.size(), 1u);
  EXPECT_EQ(job.attempts[0], (Attempt{.number = 1,
                                      .started_at = kT0 + seconds(1),
                                      .worker_id = "worker-1",
                                      .outcome = AttemptOutcome::running,
                                      .lease_token = "lease-1",
                                     .lease = seconds(300)}));
}

TEST(Lease, FetchWithALeaseLengthUsesIt) {
  Job const job = step(queued_job(), fetch_event("lease-1", "w", seconds(20)));
  EXPECT_EQ(job.lease_expires_at, kT0 + seconds(20));
}

TEST(Lease, LeaseNeverOutlivesMaxRun) {
  Job job = queued_job();
  job.max_run_s = 100;
  job = fetched(job, "lease-1");
  EXPECT_EQ(job.lease_expires_at, kT0 + seconds(100));
  job = step(job, report(EventKind::heartbeat, "lease-1"), kT0 + seconds(90));
  EXPECT_EQ(job.lease_expires_at, kT0 + seconds(100));
}

TEST(Lease, FetchKeepsTheLastErrorForTheNextWorkerToSee) {
  Job job = step(fetched(queued_job(), "lease-1"), report(EventKind::fail, "lease-1"));
  job = fetched(step(job, due_event()), "lease-2");
  ASSERT_TRUE(job.error);
  EXPECT_EQ(job.error->code, "boom");
}

TEST(Lease, FetchWithoutTokenOrWithUnprintableWorkerIdIsInvalidAndChangesNothing) {
  EXPECT_EQ(apply(queued_job(), fetch_event("", "w", std::nullopt), kT0).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(apply(queued_job(), fetch_event("t", "bad\nid", std::nullopt), kT0).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(apply(queued_job(), fetch_event("t", "w", Micros(0)), kT0).error().code,
            Errc::invalid_argument);
}

TEST(Lease, FetchWithoutWorkerIdIsAllowed) {
  auto applied = apply(queued_job(), fetch_event("t", "", std::nullopt), kT0);
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->job.status, JobState::running);
}

TEST(Lease, HeartbeatExtendsTheLeaseFromNowAndCarriesProgressAndCheckpoint) {
  Job const running = fetched(queued_job(), "lease-1");
  Event beat = report(EventKind::heartbeat, "lease-1");
  beat.progress = ProgressUpdate::setting(Progress{.percent = 40, .stage = "copy"});
  beat.checkpoint = R"({"offset":40})";
  auto applied = must(apply(running, beat, kT0 + seconds(250)));
  EXPECT_TRUE(applied.changed);
  EXPECT_FALSE(applied.reply_error);
  EXPECT_EQ(applied.job.status, JobState::running);
  EXPECT_EQ(applied.job.lease_expires_at, kT0 + seconds(550));
  EXPECT_EQ(applied.job.progress, (Progress{.percent = 40, .stage = "copy"}));
  EXPECT_EQ(applied.job.checkpoint, beat.checkpoint);

  // A heartbeat without progress or checkpoint keeps the last ones; its lease length is used.
  Event bare = report(EventKind::heartbeat, "lease-1");
  bare.lease = seconds(30);
  Job const later = step(applied.job, bare, kT0 + seconds(300));
  EXPECT_EQ(later.lease_expires_at, kT0 + seconds(330));
  EXPECT_EQ(later.progress, applied.job.progress);
  EXPECT_EQ(later.checkpoint, beat.checkpoint);
}

TEST(Lease, HeartbeatProgressMergesFieldByFieldAndANullFieldClearsIt) {
  Event beat = report(EventKind::heartbeat, "lease-1");
  beat.progress = ProgressUpdate::setting(Progress{.percent = 10, .stage = "copy", .message = "started"});
  Job job = step(fetched(queued_job(), "lease-1"), beat);

  // {"percent": 30} keeps the stage and message sent before.
  beat.progress = ProgressUpdate{.percent = 30.0};
  job = step(job, beat);
  EXPECT_EQ(job.progress, (Progress{.percent = 30, .stage = "copy", .message = "started"}));

  // {"message": null, "total": 8} clears the message and keeps the rest.
  beat.progress = ProgressUpdate{.message = std::optional<std::string>(), .total = 8.0};
  job = step(job, beat);
  EXPECT_EQ(job.progress, (Progress{.percent = 30, .stage = "copy", .total = 8}));

  // Clearing every field that is left leaves no progress at all.
  beat.progress = ProgressUpdate{.percent = std::optional<double>(), .stage = std::optional<std::string>(),
                                 .total = std::optional<double>()};
  EXPECT_EQ(step(job, beat).progress, std::nullopt);
}

TEST(Lease, CompleteMergesItsProgressIntoTheJobs) {
  Event beat = report(EventKind::heartbeat, "lease-1");
  beat.progress = ProgressUpdate::setting(Progress{.percent = 90, .stage = "upload"});
  Event done = report(EventKind::complete, "lease-1");
  done.progress = ProgressUpdate{.percent = 100.0};
  Job const job = step(step(fetched(queued_job(), "lease-1"), beat), done);
  EXPECT_EQ(job.progress, (Progress{.percent = 100, .stage = "upload"}));
}

TEST(Lease, CompletedJobShowsNoErrorButItsFailedAttemptsKeepTheirs) {
  Job job = step(fetched(queued_job(), "lease-1"), report(EventKind::fail, "lease-1"));
  ASSERT_TRUE(job.error);
  job = step(fetched(step(job, due_event()), "lease-2"), report(EventKind::complete, "lease-2"));
  EXPECT_EQ(job.status, JobState::completed);
  EXPECT_EQ(job.error, std::nullopt);
  ASSERT_EQ(job.attempts.size(), 2u);
  ASSERT_TRUE(job.attempts[0].error);
  EXPECT_EQ(job.attempts[0].error->code, "boom");
}

TEST(Lease, CompleteRecordsTheResultAndClearsTheLeaseButKeepsItsTokenInHistory) {
  Event done = report(EventKind::complete, "lease-1");
  done.result = R"({"ok":true})";
  Job const job = step(fetched(queued_job(), "lease-1"), done, kT0 + seconds(5));
  EXPECT_EQ(job.status, JobState::completed);
  EXPECT_EQ(job.result, done.result);
  EXPECT_EQ(job.completed_at, kT0 + seconds(5));
  EXPECT_FALSE(job.lease_token);
  EXPECT_FALSE(job.lease_expires_at);
  EXPECT_FALSE(job.worker_id);
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::completed);
  EXPECT_EQ(job.attempts.back().ended_at, kT0 + seconds(5));
  EXPECT_EQ(job.attempts.back().lease_token, "lease-1");
}

TEST(Lease, StaleLeaseTokenIsRejectedAndChangesNothing) {
  Job const running = fetched(queued_job(), "lease-1");
  for (auto kind :
       {EventKind::heartbeat, EventKind::complete, EventKind::fail, EventKind::release}) {
    Job const before = running;
    auto applied = apply(running, report(kind, "lease-0"), kT0);
    ASSERT_FALSE(applied) << to_string(kind);
    EXPECT_EQ(applied.error(),
              make_error(Errc::stale_lease, "lease token is not the job's live lease"));
    EXPECT_EQ(running, before);
  }
}

TEST(Lease, WorkerWhoseLeaseExpiredCannotReportAfterTheJobWasFetchedAgain) {
  Job job = fetched(queued_job(), "lease-1");
  job = step(job, expire_event(0.5), kT0 + seconds(300));
  job = fetched(step(job, due_event(), kT0 + seconds(302)), "lease-2", kT0 + seconds(302));
  for (auto kind :
       {EventKind::heartbeat, EventKind::complete, EventKind::fail, EventKind::release}) {
    EXPECT_EQ(apply(job, report(kind, "lease-1"), kT0 + seconds(303)).error().code,
              Errc::stale_lease);
  }
  EXPECT_EQ(step(job, report(EventKind::complete, "lease-2")).status, JobState::completed);
}

TEST(Lease, ReportOnAJobWithoutALeaseIsStaleLeaseNotWrongState) {
  EXPECT_EQ(apply(queued_job(), report(EventKind::complete, "lease-9"), kT0).error().code,
            Errc::stale_lease);
}

TEST(Lease, EmptyTokenNeverMatches) {
  Job const running = fetched(queued_job(), "lease-1");
  EXPECT_EQ(apply(running, report(EventKind::heartbeat, ""), kT0).error().code, Errc::stale_lease);
}

TEST(Lease, ResentCompleteIsANoOpThatReturnsTheJob) {
  Job const done = step(fetched(queued_job(), "lease-1"), report(EventKind::complete, "lease-1"));
  auto again = must(apply(done, report(EventKind::complete, "lease-1"), kT0 + seconds(9)));
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.job, done);
}

TEST(Lease, ResentFailIsANoOpEvenAfterTheJobRanAgain) {
  Job job = step(fetched(queued_job(), "lease-1"), report(EventKind::fail, "lease-1"));
  job = fetched(step(job, due_event()), "lease-2");
  auto again = must(apply(job, report(EventKind::fail, "lease-1"), kT0 + seconds(9)));
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.job, job);
}

TEST(Lease, ResentReleaseIsANoOpThatReturnsTheJob) {
  Job const released = step(fetched(queued_job(), "lease-1"), report(EventKind::release, "lease-1"));
  auto again = must(apply(released, report(EventKind::release, "lease-1"), kT0 + seconds(9)));
  EXPECT_FALSE(again.changed);
  EXPECT_EQ(again.job, released);
  // A release is not a completion: the same token cannot complete the job it handed back.
  EXPECT_EQ(apply(released, report(EventKind::complete, "lease-1"), kT0).error().code, Errc::stale_lease);
}

TEST(Lease, ReportThatDiffersFromTheOneThatWonIsStale) {
  Job const failed = step(fetched(queued_job(), "lease-1"), report(EventKind::fail, "lease-1"));
  EXPECT_EQ(apply(failed, report(EventKind::complete, "lease-1"), kT0).error().code,
            Errc::stale_lease);
  Job const done = step(fetched(queued_job(), "lease-1"), report(EventKind::complete, "lease-1"));
  EXPECT_EQ(apply(done, report(EventKind::fail, "lease-1"), kT0).error().code, Errc::stale_lease);
  EXPECT_EQ(apply(done, report(EventKind::heartbeat, "lease-1"), kT0).error().code,
            Errc::stale_lease);
}

constexpr EventKind kReports[] = {EventKind::heartbeat, EventKind::complete, EventKind::fail, EventKind::release};

TEST(Lease, ReportJustBeforeTheLeaseRunsOutCounts) {
  Job const running = fetched(queued_job(), "lease-1");   // runs out at kT0 + 300 s
  for (auto kind : kReports) {
    auto applied = must(apply(running, report(kind, "lease-1"), kT0 + seconds(300) - Micros(1)));
    EXPECT_FALSE(applied.reply_error) << to_string(kind);
    EXPECT_EQ(applied.job.attempts.back().outcome, outcome_of(kind));
  }
}

TEST(Lease, ReportWhenTheLeaseHasRunOutIsStaleAndTheLeaseExpires) {
  Job const running = fetched(queued_job(), "lease-1");
  // At the instant of expiry already: the sweep treats a deadline <= now as due, and so do reports.
  for (auto at : {kT0 + seconds(300), kT0 + seconds(301)}) {
    for (auto kind : kReports) {
      SCOPED_TRACE(std::string(to_string(kind)));
      Event late = report(kind, "lease-1");
      late.result = R"({"ok":true})";
      auto applied = must(apply(running, late, at));
      ASSERT_TRUE(applied.reply_error);
      EXPECT_EQ(applied.reply_error->code, Errc::stale_lease);
      // The job is written as the sweep writes an expiry; nothing of the report is kept.
      EXPECT_TRUE(applied.changed);
      EXPECT_EQ(applied.job.status, JobState::retrying);
      EXPECT_EQ(applied.job.attempts.back().outcome, AttemptOutcome::lease_expired);
      EXPECT_EQ(applied.job.error, (JobError{"lease_expired", "lease expired", true}));
      EXPECT_FALSE(applied.job.result);
      EXPECT_FALSE(applied.job.lease_token);
      EXPECT_EQ(applied.job.updated_at, at);
    }
  }
}

TEST(Lease, LateReportEndsAsIfTheSweepHadComeFirst) {
  Job const running = fetched(queued_job(), "lease-1");
  TimePoint const late = kT0 + seconds(310);
  Job const swept = step(running, expire_event(0.25), late);
  for (auto kind : kReports) {
    SCOPED_TRACE(std::string(to_string(kind)));
    Event e = report(kind, "lease-1");
    e.unit_random = 0.25;   // the same jitter draw as the sweep's
    auto before_sweep = must(apply(running, e, late));
    EXPECT_EQ(before_sweep.job, swept);
    // After the sweep the same report is refused with the same code, and changes nothing.
    auto after_sweep = apply(swept, e, late);
    ASSERT_FALSE(after_sweep);
    EXPECT_EQ(after_sweep.error().code, before_sweep.reply_error->code);
  }
}

TEST(Lease, LateReportPastMaxRunIsRunTimeExceeded) {
  Job job = queued_job();
  job.max_run_s = 100;
  Job const running = fetched(job, "lease-1");   // its lease is capped at max_run_s
  for (auto kind : kReports) {
    auto applied = must(apply(running, report(kind, "lease-1"), kT0 + seconds(100)));
    ASSERT_TRUE(applied.reply_error) << to_string(kind);
    EXPECT_EQ(applied.reply_error->code, Errc::run_time_exceeded) << to_string(kind);
    EXPECT_EQ(applied.job.attempts.back().outcome, AttemptOutcome::timed_out) << to_string(kind);
  }
}

TEST(Lease, LateReportWithAnotherTokenIsStaleAndLeavesTheExpiryToTheSweep) {
  Job const running = fetched(queued_job(), "lease-1");
  auto applied = apply(running, report(EventKind::complete, "lease-0"), kT0 + seconds(400));
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, Errc::stale_lease);
}

TEST(Lease, ResentWinningReportIsStillRecognisedLongAfterTheLeaseWouldHaveRunOut) {
  Job const done = step(fetched(queued_job(), "lease-1"), report(EventKind::complete, "lease-1"), kT0 + seconds(5));
  auto again = must(apply(done, report(EventKind::complete, "lease-1"), kT0 + seconds(3600)));
  EXPECT_FALSE(again.changed);
  EXPECT_FALSE(again.reply_error);
  EXPECT_EQ(again.job, done);
}

TEST(Lease, CancelOnARunningJobOnlyRequestsIt) {
  auto applied = must(apply(fetched(queued_job(), "lease-1"), cancel_event(), kT0 + seconds(1)));
  EXPECT_TRUE(applied.changed);
  EXPECT_EQ(applied.job.status, JobState::running);
  EXPECT_TRUE(applied.job.cancel_requested);
  EXPECT_EQ(applied.job.lease_token, "lease-1");
  EXPECT_EQ(applied.job.updated_at, kT0 + seconds(1));

  auto twice = must(apply(applied.job, cancel_event(), kT0 + seconds(2)));
  EXPECT_FALSE(twice.changed);
  EXPECT_EQ(twice.job, applied.job);

  // The worker sees the request on its heartbeat; the heartbeat does not clear it.
  EXPECT_TRUE(step(applied.job, report(EventKind::heartbeat, "lease-1")).cancel_requested);
}

Job cancel_requested() { return step(fetched(queued_job(), "lease-1"), cancel_event()); }

// Whichever way a job with a pending cancel ends, the request is answered: it no longer shows.
TEST(Lease, CancelRequestedJobThatCompletesIsCompleted) {
  Job const job = step(cancel_requested(), report(EventKind::complete, "lease-1"));
  EXPECT_EQ(job.status, JobState::completed);
  EXPECT_FALSE(job.cancel_requested);
}

TEST(Lease, CancelRequestedJobThatFailsIsCancelledEvenWithAttemptsLeft) {
  Job const job = step(cancel_requested(), report(EventKind::fail, "lease-1"), kT0 + seconds(3));
  EXPECT_EQ(job.status, JobState::cancelled);
  EXPECT_EQ(job.completed_at, kT0 + seconds(3));
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::failed);
  EXPECT_FALSE(job.cancel_requested);
}

TEST(Lease, CancelRequestedJobWhoseLeaseExpiresIsCancelled) {
  Job const job = step(cancel_requested(), expire_event(0.5), kT0 + seconds(300));
  EXPECT_EQ(job.status, JobState::cancelled);
  EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::lease_expired);
  EXPECT_FALSE(job.cancel_requested);
}

TEST(Lease, CancelRequestedJobThatIsReleasedIsCancelledNotHandedOut) {
  Job const job = step(cancel_requested(), report(EventKind::release, "lease-1"));
  EXPECT_EQ(job.status, JobState::cancelled);
  EXPECT_FALSE(job.lease_token);
  EXPECT_FALSE(job.cancel_requested);
}

TEST(Lease, LateReleaseOfACancelRequestedJobCancelsIt) {
  Job const job = cancel_requested();
  auto applied = must(apply(job, report(EventKind::release, "lease-1"), kT0 + seconds(300)));
  ASSERT_TRUE(applied.reply_error);
  EXPECT_EQ(applied.reply_error->code, Errc::stale_lease);
  EXPECT_EQ(applied.job.status, JobState::cancelled);
  EXPECT_EQ(applied.job.attempts.back().outcome, AttemptOutcome::lease_expired);
}

}  // namespace
}  // namespace corral::core
