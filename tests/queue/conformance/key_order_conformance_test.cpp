// Conformance, order within a concurrency key: on a queue with max_running_per_key 1 the jobs of
// one key run one at a time in enqueue order, and a job whose lease ran out (or was cut to a
// millisecond by a heartbeat) with no retry delay comes back before the jobs behind it. The
// expiry (by the sweep, or by a report that came too late) and the job's return to the ready set
// commit together, so a fetch never finds the key free with the job not yet ready. SQS FIFO queues are built on this.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

using core::JobState;

core::EnqueueRequest keyed_job(std::string key) {
  auto req = job_request("ordered");
  req.concurrency_key = std::move(key);
  req.max_attempts = 10;
  req.backoff = core::BackoffOverride{0.0, 1.0, 0.0, 0.0};
  return req;
}

queue::QueueUpdate one_per_key() {
  queue::QueueUpdate update;
  update.max_running_per_key = std::optional<int>(1);
  return update;
}

TEST_P(QueueConformance, AJobWhoseLeaseRanOutComesBackBeforeTheLaterJobsOfItsKey) {
  must(run(svc().update_queue("ordered", one_per_key())));
  auto const first = enqueue(keyed_job("g"));
  auto const second = enqueue(keyed_job("g"));

  auto take = fetch_request({"ordered"});
  take.lease = core::Micros{500'000};
  auto leased = fetch(take);
  ASSERT_EQ(ids_of(leased), std::vector<std::string>{first.id});

  // A long-poll waiting while the lease runs out is answered with the same job, not the next one.
  auto wait = fetch_request({"ordered"}, 1, kLongWait);
  wait.lease = core::Micros{60'000'000};
  leased = fetch(wait);
  ASSERT_EQ(ids_of(leased), std::vector<std::string>{first.id});
  EXPECT_EQ(leased.front().attempt, 2);

  // A heartbeat extending by a millisecond makes it ready again at once: the same holds.
  queue::HeartbeatRequest soon;
  soon.lease_token = *leased.front().lease_token;
  soon.extend = core::Micros{1000};
  must(run(svc().heartbeat(first.id, std::move(soon))));
  leased = fetch(wait);
  ASSERT_EQ(ids_of(leased), std::vector<std::string>{first.id});
  EXPECT_EQ(leased.front().attempt, 3);

  // Done with it, the key's next job comes.
  must(complete(first.id, *leased.front().lease_token));
  leased = fetch(wait);
  ASSERT_EQ(ids_of(leased), std::vector<std::string>{second.id});
  EXPECT_EQ(must(get(second.id)).status, JobState::running);
}

TEST_P(QueueConformance, AReportAfterItsLeaseRanOutLeavesTheJobAheadOfTheLaterJobsOfItsKey) {
  must(run(svc().update_queue("ordered", one_per_key())));
  auto const first = enqueue(keyed_job("g"));
  enqueue(keyed_job("g"));
  auto take = fetch_request({"ordered"});
  take.lease = core::Micros{200'000};
  auto const leased = fetch(take);
  ASSERT_EQ(ids_of(leased), std::vector<std::string>{first.id});
  auto const expiry = *leased.front().lease_expires_at;
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > expiry; }));

  // Late, whether or not the sweep has got to the job yet: the report is stale, and the job,
  // expired by it or by the sweep, is ready again ahead of the key's next job.
  auto const late = run(svc().heartbeat(first.id, {.lease_token = *leased.front().lease_token}));
  EXPECT_TRUE(fails_with(late, core::Errc::stale_lease));
  ASSERT_EQ(ids_of(fetch(fetch_request({"ordered"}))), std::vector<std::string>{first.id});
}

TEST_P(QueueConformance, AKeyWithAJobRunningHoldsBackItsOthersWhileOtherKeysRun) {
  must(run(svc().update_queue("ordered", one_per_key())));
  auto const a1 = enqueue(keyed_job("a"));
  auto const a2 = enqueue(keyed_job("a"));
  auto const b1 = enqueue(keyed_job("b"));
  auto const a3 = enqueue(keyed_job("a"));
  auto const b2 = enqueue(keyed_job("b"));

  // Each key's first job, in enqueue order; the others wait behind them.
  auto const leased = fetch(fetch_request({"ordered"}, 10));
  ASSERT_EQ(ids_of(leased), (std::vector<std::string>{a1.id, b1.id}));
  EXPECT_TRUE(fetch(fetch_request({"ordered"}, 10)).empty());

  must(complete(b1.id, *leased[1].lease_token));
  auto next = fetch(fetch_request({"ordered"}, 10));
  ASSERT_EQ(ids_of(next), std::vector<std::string>{b2.id});
  must(complete(a1.id, *leased[0].lease_token));
  next = fetch(fetch_request({"ordered"}, 10));
  ASSERT_EQ(ids_of(next), std::vector<std::string>{a2.id});
  must(complete(a2.id, *next[0].lease_token));
  next = fetch(fetch_request({"ordered"}, 10));
  ASSERT_EQ(ids_of(next), std::vector<std::string>{a3.id});
}

}  // namespace
}  // namespace corral::test
