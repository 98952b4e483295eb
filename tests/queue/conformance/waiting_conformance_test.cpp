// Conformance, waiting: long-polls are woken by the commit they wait for, and the event stream's
// listeners see every committed change, after the commit.
#include "queue/conformance/queue_conformance.hpp"

#include "support/wait_until.hpp"

#include <algorithm>
#include <future>
#include <mutex>
#include <set>

namespace corral::test {
namespace {

using core::JobState;

TEST_P(QueueConformance, LongPollFetchIsWokenByAnEnqueue) {
  // The fetch asks for the longest wait; the test's deadline is a third of it, so a fetch that
  // only finds the job when its own wait runs out fails here.
  auto waiting = spawn(svc().fetch(fetch_request({"default"}, 1, kLongWait)));
  ASSERT_TRUE(parked(1));
  std::string const id = enqueue(job_request()).id;

  auto const jobs = must(await(std::move(waiting)));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs.front().id, id);
  EXPECT_EQ(jobs.front().status, JobState::running);
}

TEST_P(QueueConformance, AJobEnqueuedWhileAFetchWaitsIsLeasedInTheEnqueuesOwnCommit) {
  // The fetch finds nothing and parks before the job is enqueued.
  auto waiting = spawn(svc().fetch(fetch_request({"default"}, 1, kLongWait)));
  ASSERT_TRUE(parked(1));
  auto const created = enqueue(job_request());
  EXPECT_EQ(created.status, JobState::queued) << "the enqueue answers with the job as it enqueued it";
  auto const leased = must(await(std::move(waiting)));
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased.front().id, created.id);
  // One batch stamps both with its one clock reading: the job was created and started in the
  // same commit, so its first commit to disk was also its lease's.
  ASSERT_TRUE(leased.front().started_at);
  EXPECT_EQ(*leased.front().started_at, created.created_at);
  // What was committed is what the fetch was told, and the counts agree.
  auto const stored = must(get(created.id));
  EXPECT_EQ(stored.status, JobState::running);
  EXPECT_EQ(stored.lease_token, leased.front().lease_token);
  auto const queues = must(run(svc().queues()));
  auto const q = std::find_if(queues.begin(), queues.end(), [](auto const& i) { return i.name == "default"; });
  ASSERT_NE(q, queues.end());
  auto const& info = *q;
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::running)], 1);
  EXPECT_EQ(info.counts[static_cast<std::size_t>(JobState::queued)], 0);
  // And it completes like any other leased job.
  EXPECT_EQ(must(complete(created.id, *leased.front().lease_token)).status, JobState::completed);
}

TEST_P(QueueConformance, AFetchWhoseWaitRunsOutAnswersEmptyAndTakesNothingAfterwards) {
  EXPECT_TRUE(fetch(fetch_request({"default"}, 1, core::Micros{100'000})).empty());
  // A fetch that gave up must not lease what comes next: nobody would ever run it.
  std::string const id = enqueue(job_request()).id;
  EXPECT_EQ(must(get(id)).status, JobState::queued);
  EXPECT_EQ(fetch_one().id, id);
}

TEST_P(QueueConformance, EachWaitingFetchGetsAJobOfItsOwnAndShutdownAnswersTheRest) {
  constexpr std::size_t kFetches = 20;
  constexpr std::size_t kJobs = 15;
  std::vector<std::future<core::Result<std::vector<core::Job>>>> waiting;
  for (std::size_t i = 0; i < kFetches; ++i) {
    waiting.push_back(spawn(svc().fetch(fetch_request({"default"}, 1, kLongWait))));
  }
  ASSERT_TRUE(parked(kFetches));
  std::vector<core::EnqueueRequest> batch(kJobs, job_request());
  auto const enqueued = must(run(svc().enqueue_batch(batch)));
  std::set<std::string> expected;
  for (auto const& r : enqueued) expected.insert(r.job.id);

  auto answered = [&] {
    return static_cast<std::size_t>(std::count_if(waiting.begin(), waiting.end(), [](auto const& f) {
      return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    }));
  };
  ASSERT_TRUE(wait_until(kDeadline, [&] { return answered() >= kJobs; }));
  // The rest wait on, with nothing to take, until shutdown answers them with no jobs.
  svc().shutdown();
  std::set<std::string> handed_out;
  std::size_t empty = 0;
  for (auto& f : waiting) {
    auto const jobs = must(await(std::move(f)));
    ASSERT_LE(jobs.size(), 1u);
    if (jobs.empty()) ++empty;
    for (auto const& j : jobs) EXPECT_TRUE(handed_out.insert(j.id).second) << j.id << " was handed out twice";
  }
  EXPECT_EQ(handed_out, expected);
  EXPECT_EQ(empty, kFetches - kJobs);
}

TEST_P(QueueConformance, GetWithWaitReturnsWhenTheJobCompletes) {
  std::string const id = enqueue(job_request()).id;
  // Without a wait, get answers at once with the current state.
  EXPECT_EQ(must(get(id)).status, JobState::queued);

  auto const leased = fetch_one();
  auto waiting = spawn(svc().get(id, kLongWait));
  ASSERT_TRUE(parked(1));
  must(complete(id, *leased.lease_token));

  auto const job = must(await(std::move(waiting)));
  EXPECT_EQ(job.status, JobState::completed);
  EXPECT_EQ(job.result, R"({"ok":true})");
}

// What a listener recorded: each event as "kind -> state", and the state a reader saw when it
// looked right after being told, which shows the change was already committed.
struct Recorder {
  std::mutex mutex;
  std::vector<std::string> changes;  // GUARDED_BY(mutex)

  std::size_t size() {
    std::lock_guard lock(mutex);
    return changes.size();
  }
};

std::string describe(core::JobEvent const& e) {
  return std::string(core::to_string(e.kind)) + " -> " + std::string(core::to_string(e.status));
}

asio::awaitable<void> record(queue::QueueService& svc, core::JobEvent change, std::shared_ptr<Recorder> recorder) {
  auto const read = co_await svc.get(change.job_id, core::Micros{0});
  std::string const seen = read ? std::string(core::to_string(read->status)) : std::string(core::to_string(read.error().code));
  std::lock_guard lock(recorder->mutex);
  recorder->changes.push_back(describe(change) + " (read: " + seen + ")");
}

TEST_P(QueueConformance, EventListenersSeeEveryCommittedChangeAfterItsCommit) {
  auto recorder = std::make_shared<Recorder>();
  // The listener must not block: it hands the read to the loop, on one strand, in order.
  auto strand = loop().strand();
  svc().events().subscribe([&svc = svc(), strand, recorder](core::JobEvent const& change) {
    asio::co_spawn(strand, record(svc, change, recorder), asio::detached);
  });
  auto recorded = [&](std::size_t n) { return wait_until(kDeadline, [&] { return recorder->size() >= n; }); };

  std::string const id = enqueue(job_request()).id;
  ASSERT_TRUE(recorded(1));
  auto const leased = fetch_one();
  ASSERT_TRUE(recorded(2));
  // A refused report commits nothing, so nothing is published.
  EXPECT_FALSE(complete(id, "not-the-lease"));
  must(complete(id, *leased.lease_token));
  ASSERT_TRUE(recorded(3));
  must(run(svc().remove(id)));
  ASSERT_TRUE(recorded(4));

  std::lock_guard lock(recorder->mutex);
  EXPECT_EQ(recorder->changes, (std::vector<std::string>{
                                   "enqueued -> queued (read: queued)",
                                   "started -> running (read: running)",
                                   "completed -> completed (read: completed)",
                                   "deleted -> completed (read: not_found)",
                               }));
}

}  // namespace
}  // namespace corral::test
