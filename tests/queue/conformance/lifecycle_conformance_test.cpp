// Conformance, a job's life outside a worker's hands: idempotent and batched enqueues, cancel,
// delete, and listing.
#include "queue/conformance/queue_conformance.hpp"
#include "support/wait_until.hpp"

namespace corral::test {
namespace {

using core::Errc;
using core::JobState;

queue::ListQuery newest(int limit, std::optional<queue::ListCursor> cursor = std::nullopt) {
  queue::ListQuery q;
  q.limit = limit;
  q.cursor = cursor;
  return q;
}

TEST_P(QueueConformance, IdempotencyKeyReturnsTheExistingJob) {
  auto req = job_request();
  req.idempotency_key = "order-42";
  auto const first = must(run(svc().enqueue(req)));
  EXPECT_TRUE(first.created);

  req.payload = R"({"different":true})";
  auto const second = must(run(svc().enqueue(req)));
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.job.id, first.job.id);
  EXPECT_EQ(second.job.payload, first.job.payload) << "the existing job is returned unchanged";

  // Inside a batch too.
  auto const batch = must(run(svc().enqueue_batch({req, job_request()})));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_FALSE(batch[0].created);
  EXPECT_EQ(batch[0].job.id, first.job.id);
  EXPECT_TRUE(batch[1].created);
  EXPECT_EQ(must(run(svc().list(newest(10)))).jobs.size(), 2u);
}

// A client's mistake must not look like a storage failure: either the repeat is recognised as
// the job the batch just created, or the batch is refused as invalid. The store stays writable.
// Unique per owner (core/idempotency.hpp): a tenant's key neither finds nor blocks another's job.
TEST_P(QueueConformance, EachOwnerHasItsOwnIdempotencyKeys) {
  auto req = job_request();
  req.idempotency_key = "order-1";
  req.owner = "acme";
  auto const acme = must(run(svc().enqueue(req)));
  req.owner = "globex";
  auto const globex = must(run(svc().enqueue(req)));
  req.owner.reset();
  auto const unowned = must(run(svc().enqueue(req)));
  EXPECT_TRUE(acme.created && globex.created && unowned.created);
  EXPECT_NE(acme.job.id, globex.job.id);
  EXPECT_NE(unowned.job.id, acme.job.id);
  EXPECT_NE(unowned.job.id, globex.job.id);

  // Each again finds its own, alone and in a batch that also creates a new owner's job.
  req.owner = "globex";
  auto const again = must(run(svc().enqueue(req)));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.job.id, globex.job.id);
  auto initech = req;
  initech.owner = "initech";
  auto acme_req = req;
  acme_req.owner = "acme";
  req.owner.reset();
  auto const batch = must(run(svc().enqueue_batch({acme_req, initech, req})));
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].job.id, acme.job.id);
  EXPECT_FALSE(batch[0].created);
  EXPECT_TRUE(batch[1].created);
  EXPECT_EQ(batch[1].job.owner, "initech");
  EXPECT_EQ(batch[2].job.id, unowned.job.id);
  EXPECT_FALSE(batch[2].created);
}

TEST_P(QueueConformance, RepeatedIdempotencyKeyInOneBatchLeavesTheStoreWritable) {
  auto req = job_request();
  req.idempotency_key = "twice";
  auto const batch = run(svc().enqueue_batch({req, req}));
  if (batch) {
    ASSERT_EQ(batch->size(), 2u);
    EXPECT_TRUE((*batch)[0].created);
    EXPECT_FALSE((*batch)[1].created);
    EXPECT_EQ((*batch)[1].job.id, (*batch)[0].job.id);
  } else {
    EXPECT_TRUE(fails_with(batch, Errc::invalid_argument));
  }
  EXPECT_TRUE(svc().readiness().ready) << svc().readiness().reason;
  EXPECT_TRUE(run(svc().enqueue(job_request()))) << "later writes still succeed";
}

TEST_P(QueueConformance, BatchIsAllOrNothing) {
  auto bad = job_request();
  bad.priority = 5000;  // out of range
  auto const refused = run(svc().enqueue_batch({job_request(), bad, job_request()}));
  ASSERT_TRUE(fails_with(refused, Errc::invalid_argument));
  EXPECT_NE(refused.error().message.find("jobs[1]"), std::string::npos) << refused.error().message;
  EXPECT_TRUE(must(run(svc().list(newest(10)))).jobs.empty()) << "nothing of a refused batch is written";
  EXPECT_TRUE(fetch(fetch_request({"default"})).empty());

  auto const accepted = must(run(svc().enqueue_batch({job_request("default", 1), job_request("default", 2)})));
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_TRUE(accepted[0].created && accepted[1].created);
  EXPECT_EQ(accepted[0].job.priority, 1) << "results come in request order";
  EXPECT_EQ(accepted[1].job.priority, 2);
  EXPECT_EQ(must(run(svc().list(newest(10)))).jobs.size(), 2u);
}

TEST_P(QueueConformance, CancelQueuedJobAndCancelRequestedOnRunning) {
  std::string const running_id = enqueue(job_request()).id;
  std::string const queued_id = enqueue(job_request()).id;
  auto const leased = fetch_one();
  ASSERT_EQ(leased.id, running_id);

  auto const cancelled = must(run(svc().cancel(queued_id)));
  EXPECT_EQ(cancelled.status, JobState::cancelled);
  EXPECT_TRUE(cancelled.completed_at.has_value());
  EXPECT_TRUE(fails_with(run(svc().cancel(queued_id)), Errc::wrong_state));
  EXPECT_TRUE(fetch(fetch_request({"default"})).empty()) << "a cancelled job is not handed out";

  // A running job is only asked to stop; the worker sees it on its next heartbeat.
  auto const requested = must(run(svc().cancel(running_id)));
  EXPECT_EQ(requested.status, JobState::running);
  EXPECT_TRUE(requested.cancel_requested);
  auto const beat = must(run(svc().heartbeat(running_id, {.lease_token = *leased.lease_token})));
  EXPECT_TRUE(beat.cancel_requested);

  // Its next failure report ends it as cancelled rather than retrying it.
  EXPECT_EQ(must(fail(running_id, *leased.lease_token)).status, JobState::cancelled);
}

TEST_P(QueueConformance, DeletingATerminalJobFreesItsIdempotencyKey) {
  auto req = job_request();
  req.idempotency_key = "nightly-report";
  std::string const id = enqueue(req).id;

  EXPECT_TRUE(fails_with(run(svc().remove(id)), Errc::wrong_state)) << "a queued job cannot be deleted";
  must(run(svc().cancel(id)));
  must(run(svc().remove(id)));
  EXPECT_TRUE(fails_with(get(id), Errc::not_found));
  EXPECT_TRUE(fails_with(run(svc().remove(id)), Errc::not_found));

  auto const again = must(run(svc().enqueue(req)));
  EXPECT_TRUE(again.created);
  EXPECT_NE(again.job.id, id);
}

TEST_P(QueueConformance, ListIsNewestFirstWithCursorPaging) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(enqueue(job_request()).id);

  auto const page_1 = must(run(svc().list(newest(2))));
  EXPECT_EQ(ids_of(page_1.jobs), (std::vector<std::string>{ids[4], ids[3]}));
  ASSERT_TRUE(page_1.next.has_value());

  auto const page_2 = must(run(svc().list(newest(2, page_1.next))));
  EXPECT_EQ(ids_of(page_2.jobs), (std::vector<std::string>{ids[2], ids[1]}));
  ASSERT_TRUE(page_2.next.has_value());

  auto const page_3 = must(run(svc().list(newest(2, page_2.next))));
  EXPECT_EQ(ids_of(page_3.jobs), std::vector<std::string>{ids[0]});
  EXPECT_FALSE(page_3.next.has_value()) << "the last page has no cursor";

  // A full last page has no cursor either.
  auto const all = must(run(svc().list(newest(5))));
  EXPECT_EQ(all.jobs.size(), 5u);
  EXPECT_FALSE(all.next.has_value());
}

TEST_P(QueueConformance, FinishedJobsAreDeletedOnceTheirRetentionHasPassed) {
  close();
  options_.retention.all.completed = std::chrono::seconds(1);
  open();
  auto const finished = enqueue(job_request("kept"));
  auto const lease = fetch_one("kept");
  ASSERT_EQ(lease.id, finished.id);
  must(complete(lease.id, *lease.lease_token));
  auto const waiting = enqueue(job_request("kept"));
  auto const cancelled = must(run(svc().cancel(enqueue(job_request("kept")).id)));

  // Retention acts by itself, like every other deadline: wait for it.
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    auto r = get(finished.id);
    return !r && r.error().code == Errc::not_found;
  })) << "a completed job past its retention is deleted";
  EXPECT_EQ(must(get(waiting.id)).status, JobState::queued) << "jobs that can still run are kept";
  EXPECT_EQ(must(get(cancelled.id)).status, JobState::cancelled) << "failed and cancelled jobs have their own retention";
  for (auto const& q : must(run(svc().queues()))) {
    if (q.name != "kept") continue;
    EXPECT_EQ(count_of(q, JobState::completed), 0);
    EXPECT_EQ(count_of(q, JobState::queued), 1);
    EXPECT_EQ(count_of(q, JobState::cancelled), 1);
  }
}

}  // namespace
}  // namespace corral::test
