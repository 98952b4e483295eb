// Conformance, lease expiry: a report on a lease whose expiry has passed is stale, whether or not
// the backend's expiry sweep has got to the job yet. The sweep acts on a bounded number of
// deadlines at a time (1000 per batch on SQLite, per tick on PostgreSQL), so with thousands due at
// once reports arrive before it; the rule holds for them all.
#include "queue/conformance/queue_conformance.hpp"

#include "support/wait_until.hpp"

#include <algorithm>

namespace corral::test {
namespace {

using core::AttemptOutcome;
using core::Errc;
using core::JobState;

constexpr int kJobs = 3000;
// Scheduled jobs that come due just before the leases run out: the sweep acts on the earliest
// deadlines first, so it is still busy with these when the reports arrive.
constexpr int kDueAhead = 5000;
// Long enough for the fetch and the enqueue of the scheduled jobs to finish before it runs out.
constexpr core::Micros kLease{2'000'000};

// One report of each kind in turn: heartbeat, complete, fail, release.
queue::Task<core::Job> report(queue::QueueService& svc, core::Job const& job, int kind) {
  std::string token = *job.lease_token;
  switch (kind % 4) {
    case 0: return svc.heartbeat(job.id, {.lease_token = std::move(token)});
    case 1: return svc.complete(job.id, {std::move(token), R"({"ok":true})"});
    case 2: return svc.fail(job.id, {std::move(token), core::JobError{"boom", "it broke", true}, {}});
    default: return svc.release(job.id, {.lease_token = std::move(token)});
  }
}

TEST_P(QueueConformance, EveryReportAfterItsLeaseExpiredIsStaleEvenWithThousandsExpiringAtOnce) {
  auto req = job_request();
  req.max_attempts = 1;   // an expiry ends the job, so its outcome shows in its history
  auto const created = must(run(svc().enqueue_batch(std::vector<core::EnqueueRequest>(kJobs, req))));
  ASSERT_EQ(created.size(), static_cast<std::size_t>(kJobs));

  // One fetch leases them all in one batch: every lease runs out at the same instant.
  auto fetch_all = fetch_request({"default"}, kJobs);
  fetch_all.lease = kLease;
  auto const leased = fetch(fetch_all);
  ASSERT_EQ(leased.size(), static_cast<std::size_t>(kJobs));
  auto const expiry = *leased.front().lease_expires_at;
  for (auto const& job : leased) ASSERT_EQ(job.lease_expires_at, expiry);

  auto later = job_request("later");
  later.run_at = expiry - core::Micros{1};
  must(run(svc().enqueue_batch(std::vector<core::EnqueueRequest>(kDueAhead, later))));

  // Past the expiry by the backend's own clock: from here on every report is late.
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > expiry; }));

  // All at once, as many workers would, and last leased first: a sweep acts on the deadlines
  // it finds first, so these are the leases it reaches last.
  std::vector<std::future<core::Result<core::Job>>> replies(leased.size());
  for (std::size_t i = leased.size(); i-- > 0;) {
    replies[i] = spawn(report(svc(), leased[i], static_cast<int>(i)));
  }
  int stale = 0;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    auto const reply = await(std::move(replies[i]));
    EXPECT_TRUE(fails_with(reply, Errc::stale_lease)) << "report " << i << " on " << leased[i].id;
    stale += !reply && reply.error().code == Errc::stale_lease;
  }
  EXPECT_EQ(stale, kJobs);

  // No report counted: each job's one attempt ended as the expiry ends it.
  int expired = 0;
  queue::ListQuery query;
  query.filter.queue = "default";
  query.limit = 1000;
  for (;;) {
    auto const page = must(run(svc().list(query)));
    for (auto const& job : page.jobs) {
      EXPECT_EQ(job.status, JobState::failed) << job.id;
      ASSERT_EQ(job.attempts.size(), 1u) << job.id;
      EXPECT_EQ(job.attempts.back().outcome, AttemptOutcome::lease_expired) << job.id;
      expired += job.attempts.back().outcome == AttemptOutcome::lease_expired;
    }
    if (!page.next) break;
    query.cursor = page.next;
  }
  EXPECT_EQ(expired, kJobs);
}

}  // namespace
}  // namespace corral::test
