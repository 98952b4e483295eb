// A waiting fetch parked on the writer: who answers it (the writer or its own deadline, exactly
// one of them), and that a job enqueued while it waits is leased in the enqueue's own commit.
#include "queue/sqlite/parked_fetch.hpp"

#include "queue/open/open_queue.hpp"
#include "queue/queue_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace corral::test {
namespace {

using sqlite::ParkedFetch;
using Clock = std::chrono::steady_clock;

std::shared_ptr<ParkedFetch> parked(Loop& loop, Clock::time_point deadline,
                                    std::atomic<std::size_t>* parked_count = nullptr) {
  return std::make_shared<ParkedFetch>(fetch_request({"default"}, 1, core::Micros{1}), loop.strand(), deadline,
                                       parked_count);
}

core::Job job_named(std::string id) {
  core::Job job;
  job.id = std::move(id);
  return job;
}

asio::awaitable<ParkedFetch::Answer> wait_on(std::shared_ptr<ParkedFetch> fetch) { co_return co_await fetch->wait(); }

TEST(ParkedFetch, TheWritersAnswerReachesTheWaitingFetchAndLaterAnswersAreIgnored) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  auto answer = loop.spawn(wait_on(fetch));
  ASSERT_TRUE(fetch->take());
  fetch->answer(std::vector<core::Job>{job_named("a")});
  fetch->answer(std::vector<core::Job>{job_named("b")});
  EXPECT_EQ(ids_of(must(await(std::move(answer)))), std::vector<std::string>{"a"});
  EXPECT_FALSE(fetch->take()) << "an answered fetch is not claimed for again";
}

TEST(ParkedFetch, ADeadlineThatPassesWhileParkedAnswersEmptyAndTheWriterCannotTakeItAfter) {
  Loop loop;
  auto fetch = parked(loop, Clock::now());
  EXPECT_TRUE(must(await(loop.spawn(wait_on(fetch)))).empty());
  EXPECT_TRUE(fetch->answered());
  EXPECT_FALSE(fetch->take());
}

// The writer takes a fetch whose deadline then passes: the coroutine sees it pass, cannot answer
// (the writer holds the fetch), and waits for the writer's answer.
std::future<ParkedFetch::Answer> expired_while_taken(Loop& loop, std::shared_ptr<ParkedFetch> const& fetch) {
  EXPECT_TRUE(fetch->take());
  auto answer = loop.spawn(wait_on(fetch));
  EXPECT_TRUE(wait_until(kDeadline, [&] { return fetch->expired(); }));
  EXPECT_EQ(answer.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  return answer;
}

TEST(ParkedFetch, ADeadlineThatPassesWhileTheWriterHoldsItIsAnsweredByPutBack) {
  Loop loop;
  auto fetch = parked(loop, Clock::now());
  auto answer = expired_while_taken(loop, fetch);
  // The writer's claim found nothing: putting it back answers it, and says it is no longer parked.
  EXPECT_FALSE(fetch->put_back());
  EXPECT_TRUE(must(await(std::move(answer))).empty());
}

TEST(ParkedFetch, ADeadlineThatPassesWhileTheWriterHoldsItGivesWayToTheWritersJobs) {
  Loop loop;
  auto fetch = parked(loop, Clock::now());
  auto answer = expired_while_taken(loop, fetch);
  // The writer claimed a job for it: the job is delivered, not dropped for the deadline.
  fetch->answer(std::vector<core::Job>{job_named("a")});
  EXPECT_EQ(ids_of(must(await(std::move(answer)))), std::vector<std::string>{"a"});
}

TEST(ParkedFetch, PutBackBeforeTheDeadlineKeepsItParked) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  ASSERT_TRUE(fetch->take());
  EXPECT_TRUE(fetch->put_back());
  EXPECT_FALSE(fetch->answered());
  EXPECT_TRUE(fetch->take());
  fetch->answer(std::vector<core::Job>{});
}

TEST(ParkedFetch, CountsAsParkedFromTheWritersFirstPutBackUntilItsCoroutineHasTheAnswer) {
  Loop loop;
  std::atomic<std::size_t> count{0};
  auto fetch = parked(loop, Clock::now() + kLongWait, &count);
  auto answer = loop.spawn(wait_on(fetch));
  ASSERT_TRUE(fetch->take());
  EXPECT_EQ(count.load(), 0u) << "not parked before the writer's first look has found nothing";
  ASSERT_TRUE(fetch->put_back());
  EXPECT_EQ(count.load(), 1u);
  ASSERT_TRUE(fetch->take());
  ASSERT_TRUE(fetch->put_back());
  EXPECT_EQ(count.load(), 1u) << "counted once, however often the writer looks for it";
  ASSERT_TRUE(fetch->take());
  fetch->answer(std::vector<core::Job>{job_named("a")});
  EXPECT_EQ(ids_of(must(await(std::move(answer)))), std::vector<std::string>{"a"});
  EXPECT_EQ(count.load(), 0u);
}

TEST(ParkedFetch, AParkedFetchWhoseDeadlinePassesIsNoLongerCounted) {
  Loop loop;
  std::atomic<std::size_t> count{0};
  auto fetch = parked(loop, Clock::now() + std::chrono::milliseconds(50), &count);
  auto answer = loop.spawn(wait_on(fetch));
  ASSERT_TRUE(fetch->take());
  ASSERT_TRUE(fetch->put_back());
  EXPECT_EQ(count.load(), 1u);
  EXPECT_TRUE(must(await(std::move(answer))).empty());
  EXPECT_EQ(count.load(), 0u);
}

double parked_in(queue::QueueService const& svc) {
  for (auto const& stat : svc.backend_stats()) {
    if (stat.name == "long_polls_parked") return stat.value;
  }
  return -1;
}

TEST(SqliteWaitingFetch, AJobEnqueuedWhileAFetchWaitsIsLeasedInTheEnqueuesOwnCommit) {
  TempDir dir;
  Loop loop;
  auto svc = must(queue::open_queue("sqlite:" + (dir / "corral.db").string(), {}));
  // The fetch finds nothing and parks before the job is enqueued.
  auto waiting = loop.spawn(svc->fetch(fetch_request({"default"}, 1, kLongWait)));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return parked_in(*svc) == 1; }));
  auto const created = must(loop.run(svc->enqueue(job_request()))).job;
  auto const leased = must(await(std::move(waiting)));
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased.front().id, created.id);
  // One batch stamps both with its one clock reading: the job was created and started in the
  // same commit, so its first fsync was also its lease's.
  ASSERT_TRUE(leased.front().started_at);
  EXPECT_EQ(*leased.front().started_at, created.created_at);
  // What was committed is what the fetch was told.
  auto const stored = must(loop.run(svc->get(created.id, core::Micros{0})));
  EXPECT_EQ(stored.status, core::JobState::running);
  EXPECT_EQ(stored.lease_token, leased.front().lease_token);
  EXPECT_EQ(parked_in(*svc), 0);
  svc->shutdown();
  loop.drain();
}

}  // namespace
}  // namespace corral::test
