// Conformance, leases: reports are fenced by the live lease token, a resent winning report is
// recognised, failures retry after their backoff until the attempts run out, and a lease that
// runs out ends the attempt.
#include "queue/conformance/queue_conformance.hpp"

#include "support/wait_until.hpp"

namespace corral::test {
namespace {

using core::AttemptOutcome;
using core::Errc;
using core::JobState;

TEST_P(QueueConformance, StaleLeaseTokenIsRejectedAndChangesNothing) {
  enqueue(job_request());
  auto const leased = fetch_one();
  auto const before = must(get(leased.id));

  EXPECT_TRUE(fails_with(complete(leased.id, "not-the-lease"), Errc::stale_lease));
  EXPECT_TRUE(fails_with(fail(leased.id, "not-the-lease"), Errc::stale_lease));
  EXPECT_TRUE(fails_with(run(svc().heartbeat(leased.id, {.lease_token = "not-the-lease"})), Errc::stale_lease));
  EXPECT_TRUE(fails_with(run(svc().release(leased.id, {.lease_token = "not-the-lease"})), Errc::stale_lease));

  EXPECT_EQ(must(get(leased.id)), before) << "a rejected report leaves the job as it was";
  // The live token still works afterwards.
  EXPECT_EQ(must(complete(leased.id, *leased.lease_token)).status, JobState::completed);
}

// A job that comes back to the queue before the jobs still queued, or one of a higher priority,
// comes first, however many jobs were claimed before it.
TEST_P(QueueConformance, AJobThatComesBackOrOutranksTheClaimedOnesIsFetchedFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(enqueue(job_request()).id);
  auto const first = fetch_one();
  auto const second = fetch_one();
  ASSERT_EQ(first.id, ids[0]);
  ASSERT_EQ(second.id, ids[1]);
  // The first comes back (a release): it is before everything still queued.
  must(run(svc().release(first.id, {.lease_token = *first.lease_token})));
  auto const again = fetch_one();
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(fetch_one().id, ids[2]);
  // A later job of a higher priority outranks the rest.
  auto const urgent = enqueue(job_request("default", 10)).id;
  EXPECT_EQ(fetch_one().id, urgent);
  EXPECT_EQ(fetch_one().id, ids[3]);
  // A failed try with attempts left comes back when due; once due it is before ids[4] and ids[5].
  auto const failing = fetch_one();
  ASSERT_EQ(failing.id, ids[4]);
  auto retrying = must(run(svc().fail(failing.id, queue::FailRequest{*failing.lease_token,
                                                                       core::JobError{"boom", "again", true},
                                                                       core::Micros{0}})));
  ASSERT_TRUE(retrying.status == JobState::queued || retrying.status == JobState::retrying) << core::to_string(retrying.status);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return must(get(failing.id)).status == JobState::queued; }));
  EXPECT_EQ(fetch_one().id, failing.id);
  EXPECT_EQ(fetch_one().id, ids[5]);
}

TEST_P(QueueConformance, ResendingTheWinningCompleteIsAcceptedAndChangesNothing) {
  enqueue(job_request());
  auto const leased = fetch_one();
  auto const won = must(complete(leased.id, *leased.lease_token));
  ASSERT_EQ(won.status, JobState::completed);
  auto const stored = must(get(leased.id));

  // The worker lost the reply and sends the same report again.
  auto const resent = must(complete(leased.id, *leased.lease_token));
  EXPECT_EQ(resent.status, JobState::completed);
  EXPECT_EQ(resent.updated_at, won.updated_at);
  EXPECT_EQ(must(get(leased.id)), stored);

  // A failure report with the same token is not the report that won.
  EXPECT_TRUE(fails_with(fail(leased.id, *leased.lease_token), Errc::stale_lease));
  EXPECT_EQ(must(get(leased.id)), stored);
}

TEST_P(QueueConformance, FailWithAttemptsLeftRetriesAfterBackoffThenFailsWhenExhausted) {
  auto req = job_request();
  req.max_attempts = 2;
  req.backoff.initial_s = 0.05;
  req.backoff.jitter = 0.0;
  std::string const id = enqueue(req).id;

  auto const first = fetch_one();
  auto const retrying = must(fail(id, *first.lease_token));
  EXPECT_EQ(retrying.status, JobState::retrying);
  EXPECT_EQ(retrying.attempt, 1);
  EXPECT_FALSE(retrying.lease_token.has_value());
  ASSERT_TRUE(retrying.error.has_value());
  EXPECT_EQ(retrying.error->code, "boom");
  // No jitter: the backoff is exactly initial_s after the failure.
  EXPECT_EQ(retrying.run_at - retrying.updated_at, core::Micros{50'000});

  // The job comes back once its backoff has passed; a long-poll sees it without asking again.
  auto const again = fetch(fetch_request({"default"}, 1, kLongWait));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again.front().id, id);
  EXPECT_EQ(again.front().attempt, 2);
  EXPECT_NE(again.front().lease_token, first.lease_token);

  auto const failed = must(fail(id, *again.front().lease_token));
  EXPECT_EQ(failed.status, JobState::failed);
  EXPECT_TRUE(failed.completed_at.has_value());
  ASSERT_EQ(failed.attempts.size(), 2u);
  EXPECT_EQ(failed.attempts[0].outcome, AttemptOutcome::failed);
  EXPECT_EQ(failed.attempts[1].outcome, AttemptOutcome::failed);
  EXPECT_TRUE(fetch(fetch_request({"default"})).empty()) << "a failed job is not handed out again";
}

TEST_P(QueueConformance, ExpiredLeaseEndsTheAttemptAsLeaseExpired) {
  auto req = job_request();
  req.max_attempts = 1;
  std::string const id = enqueue(req).id;
  auto fetch_req = fetch_request({"default"});
  fetch_req.lease = core::Micros{1'000'000};
  auto const leased = fetch(fetch_req);
  ASSERT_EQ(leased.size(), 1u);

  // get with a wait answers when the job turns terminal: here, when the server expires the lease.
  auto const ended = must(get(id, kLongWait));
  EXPECT_EQ(ended.status, JobState::failed);
  ASSERT_TRUE(ended.error.has_value());
  EXPECT_EQ(ended.error->code, "lease_expired");
  ASSERT_EQ(ended.attempts.size(), 1u);
  EXPECT_EQ(ended.attempts[0].outcome, AttemptOutcome::lease_expired);
  EXPECT_FALSE(ended.lease_token.has_value());

  // The worker that lost its lease learns so when it reports.
  EXPECT_TRUE(fails_with(complete(id, *leased.front().lease_token), Errc::stale_lease));
  EXPECT_EQ(must(get(id)), ended);
}

}  // namespace
}  // namespace corral::test
