// Conformance, pruning on demand: exactly the ended jobs older than the cutoff, of the states and
// queue named, are deleted, however many batches it takes; jobs that can still run never are.
#include "queue/conformance/queue_conformance.hpp"
#include "support/wait_until.hpp"

namespace corral::test {
namespace {

using core::Errc;
using core::JobState;

queue::PruneRequest prune_request(core::Micros older_than, std::vector<JobState> statuses = {},
                                  std::optional<std::string> queue = std::nullopt) {
  queue::PruneRequest req;
  req.older_than = older_than;
  if (!statuses.empty()) req.statuses = std::move(statuses);
  req.queue = std::move(queue);
  return req;
}

bool gone(core::Result<core::Job> const& r) { return !r && r.error().code == Errc::not_found; }

TEST_P(QueueConformance, PruneDeletesOnlyEndedJobsOfTheNamedStatesQueueAndAge) {
  auto done = [&](std::string const& queue) {
    enqueue(job_request(queue));
    auto lease = fetch_one(queue);
    return must(complete(lease.id, *lease.lease_token)).id;
  };
  std::string const completed_a = done("a");
  std::string const completed_b = done("b");
  auto failing = job_request("a");
  failing.max_attempts = 1;
  enqueue(failing);
  auto const failing_lease = fetch_one("a");
  std::string const failed_a = must(fail(failing_lease.id, *failing_lease.lease_token)).id;
  ASSERT_EQ(must(get(failed_a)).status, JobState::failed);
  std::string const cancelled_a = must(run(svc().cancel(enqueue(job_request("a")).id))).id;

  // Jobs that can still run, in every such state.
  auto retrying_lease = (enqueue(job_request("r")), fetch_one("r"));
  std::string const retrying = must(fail(retrying_lease.id, *retrying_lease.lease_token)).id;
  ASSERT_EQ(must(get(retrying)).status, JobState::retrying);
  std::string const running = (enqueue(job_request("a")), fetch_one("a")).id;
  std::string const queued = enqueue(job_request("a")).id;
  auto later = job_request("a");
  later.delay_s = 3600;
  std::string const scheduled = enqueue(later).id;
  ASSERT_EQ(must(get(scheduled)).status, JobState::scheduled);
  // The backend's clock past the last end, so a prune of what ended more than 0 s ago takes all.
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > must(get(cancelled_a)).completed_at; }));

  EXPECT_EQ(must(run(svc().prune(prune_request(std::chrono::hours(1))))), 0)
      << "every job ended less than an hour ago";
  EXPECT_EQ(must(run(svc().prune(prune_request(core::Micros(0), {JobState::completed}, "a")))), 1);
  EXPECT_TRUE(gone(get(completed_a)));
  EXPECT_EQ(must(get(completed_b)).status, JobState::completed) << "of another queue";
  EXPECT_EQ(must(get(failed_a)).status, JobState::failed) << "of another state";

  EXPECT_EQ(must(run(svc().prune(prune_request(core::Micros(0))))), 3) << "all three ended states by default";
  for (auto const& id : {completed_b, failed_a, cancelled_a}) EXPECT_TRUE(gone(get(id))) << id;
  for (auto const& id : {retrying, running, queued, scheduled}) EXPECT_TRUE(get(id)) << id << " can still run";
  for (auto const& q : must(run(svc().queues()))) {
    EXPECT_EQ(count_of(q, JobState::completed) + count_of(q, JobState::failed) + count_of(q, JobState::cancelled), 0)
        << q.name << ": the counts follow the deletes";
  }
}

TEST_P(QueueConformance, PruneGoesPastOneBatch) {
  std::size_t const n = queue::kPruneBatch + 5;
  std::vector<core::EnqueueRequest> reqs(queue::kPruneBatch, job_request("bulk"));
  auto jobs = must(run(svc().enqueue_batch(reqs)));
  auto rest = must(run(svc().enqueue_batch(std::vector<core::EnqueueRequest>(5, job_request("bulk")))));
  jobs.insert(jobs.end(), rest.begin(), rest.end());
  ASSERT_EQ(jobs.size(), n);
  std::vector<std::future<core::Result<core::Job>>> cancels;
  for (auto const& r : jobs) cancels.push_back(spawn(svc().cancel(r.job.id)));
  std::optional<core::TimePoint> last_end;
  for (auto& c : cancels) last_end = std::max(last_end, must(await(std::move(c))).completed_at);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > last_end; }));

  EXPECT_EQ(must(run(svc().prune(prune_request(core::Micros(0))))), static_cast<std::int64_t>(n));
  EXPECT_TRUE(gone(get(jobs.front().job.id)));
  EXPECT_TRUE(gone(get(jobs.back().job.id)));
}

TEST_P(QueueConformance, PruneRefusesStatesThatCanStillRun) {
  auto const id = enqueue(job_request()).id;
  EXPECT_TRUE(fails_with(run(svc().prune(prune_request(core::Micros(0), {JobState::queued}))),
                         Errc::invalid_argument));
  EXPECT_TRUE(get(id));
}

}  // namespace
}  // namespace corral::test
