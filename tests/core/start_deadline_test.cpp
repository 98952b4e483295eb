// The start-by deadline: which jobs it binds, what deadline_of and deadline_event make of it, the
// start_deadline transition, a fetch that comes too late, and make_job's checks of start_by and
// start_within_s.
#include "core/enqueue_spec.hpp"
#include "core/job_event.hpp"
#include "core/start_deadline.hpp"
#include "core/transition.hpp"

#include "core/transition_steps.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using namespace test;

Job due_by(TimePoint start_by) {
  Job job = queued_job();
  job.start_by = start_by;
  return job;
}

TEST(StartDeadline, BindsAWaitingJobThatNeverStarted) {
  Job const job = due_by(kT0 + seconds(5));
  EXPECT_EQ(pending_start_by(job), kT0 + seconds(5));
  EXPECT_FALSE(start_expired(job, kT0 + seconds(4)));
  EXPECT_TRUE(start_expired(job, kT0 + seconds(5))) << "the deadline instant counts as passed";
  EXPECT_FALSE(pending_start_by(queued_job())) << "no start_by, no deadline";
}

TEST(StartDeadline, NoLongerBindsAJobOnceItStarted) {
  Job const running = fetched(due_by(kT0 + seconds(5)), "lease-1");
  EXPECT_FALSE(pending_start_by(running));
  Job const released = step(running, Event{.kind = EventKind::release, .lease_token = "lease-1"}, kT0 + seconds(1));
  EXPECT_EQ(released.status, JobState::queued);
  EXPECT_FALSE(start_expired(released, kT0 + seconds(60))) << "it started once: retries are the attempts' business";
}

TEST(StartDeadline, IsTheDeadlineOfAQueuedJobAndOfAScheduledOneIfEarlier) {
  EXPECT_EQ(deadline_of(due_by(kT0 + seconds(5))), kT0 + seconds(5));
  EXPECT_EQ(deadline_of(queued_job()), std::nullopt);
  Job scheduled = due_by(kT0 + seconds(5));
  scheduled.status = JobState::scheduled;
  scheduled.run_at = kT0 + seconds(2);
  EXPECT_EQ(deadline_of(scheduled), kT0 + seconds(2));
  scheduled.run_at = kT0 + seconds(9);
  EXPECT_EQ(deadline_of(scheduled), kT0 + seconds(5));
}

TEST(StartDeadline, PassedItCancelsTheJobAsExpired) {
  Job const job = due_by(kT0 + seconds(5));
  EXPECT_EQ(deadline_event(job, kT0 + seconds(5), 0.5).kind, EventKind::start_deadline);
  auto applied = must(apply(job, start_deadline_event(), kT0 + seconds(5)));
  EXPECT_EQ(applied.job.status, JobState::cancelled);
  EXPECT_EQ(applied.job.completed_at, kT0 + seconds(5));
  ASSERT_TRUE(applied.job.error);
  EXPECT_EQ(applied.job.error->code, "expired");
  EXPECT_FALSE(applied.job.error->retryable);
  EXPECT_EQ(applied.kind, JobEventKind::cancelled);
  auto const event = event_of(applied.kind, applied.job, kT0 + seconds(5));
  ASSERT_TRUE(event.error) << "the event says why";
  EXPECT_EQ(event.error->code, "expired");
}

TEST(StartDeadline, ScheduledJobsExpireToo) {
  Job job = due_by(kT0 + seconds(5));
  job.status = JobState::scheduled;
  job.run_at = kT0 + seconds(9);
  EXPECT_EQ(must(apply(job, deadline_event(job, kT0 + seconds(5), 0.5), kT0 + seconds(5))).job.status,
            JobState::cancelled);
}

TEST(StartDeadline, NotYetPassedItChangesNothing) {
  auto refused = apply(due_by(kT0 + seconds(5)), start_deadline_event(), kT0 + seconds(4));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::wrong_state);
  EXPECT_EQ(deadline_event(due_by(kT0 + seconds(5)), kT0 + seconds(4), 0.5).kind, EventKind::due);
}

TEST(StartDeadline, AFetchAfterItCancelsTheJobInsteadOfStartingIt) {
  auto applied = must(apply(due_by(kT0 + seconds(5)), fetch_event("lease-1", "w1", std::nullopt), kT0 + seconds(6)));
  EXPECT_EQ(applied.job.status, JobState::cancelled);
  EXPECT_EQ(applied.job.error->code, "expired");
  EXPECT_TRUE(applied.job.attempts.empty());
  EXPECT_EQ(applied.kind, JobEventKind::cancelled);
  EXPECT_EQ(must(apply(due_by(kT0 + seconds(5)), fetch_event("lease-1", "w1", std::nullopt), kT0 + seconds(4))).job.status,
            JobState::running);
}

Result<Job> enqueued(EnqueueRequest req) {
  req.type = "t";
  return make_job(req, nullptr, "j1", 0, kT0);
}

TEST(StartDeadline, EnqueueTakesStartByOrStartWithinS) {
  EXPECT_EQ(must(enqueued({.start_within_s = 2.5})).start_by, kT0 + Micros(2'500'000));
  EXPECT_EQ(must(enqueued({.start_by = kT0 + seconds(7)})).start_by, kT0 + seconds(7));
  EXPECT_EQ(must(enqueued({})).start_by, std::nullopt);
}

TEST(StartDeadline, EnqueueRefusesADeadlineThatCouldOnlyCancel) {
  auto message = [](Result<Job> const& r) { return r ? std::string("accepted") : r.error().message; };
  EXPECT_EQ(message(enqueued({.start_by = kT0 + seconds(1), .start_within_s = 1})),
            "start_by and start_within_s cannot both be given");
  EXPECT_EQ(message(enqueued({.start_by = kT0})), "start_by must be later than the job's run_at");
  EXPECT_EQ(message(enqueued({.delay_s = 10, .start_within_s = 5})), "start_within_s must end after the job's run_at");
  EXPECT_NE(message(enqueued({.start_within_s = 0})).find("start_within_s must be a number"), std::string::npos);
}

TEST(ConcurrencyKey, IsCheckedLikeOtherShortStrings) {
  EXPECT_EQ(must(enqueued({.concurrency_key = "customer-1"})).concurrency_key, "customer-1");
  auto bad = enqueued({.concurrency_key = ""});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "concurrency_key must be 1..256 printable ASCII characters");
}

}  // namespace
}  // namespace corral::core
