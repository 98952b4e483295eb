// A waiting fetch that batches may claim for: who answers it (a batch or its own deadline, exactly
// one of them), and what a wake-up does to it. (That a job enqueued while a fetch waits is leased
// in the enqueue's own commit is a conformance test, for both backends.)
#include "queue/parked_fetch.hpp"

#include "queue/queue_harness.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>

namespace corral::test {
namespace {

using queue::ParkedFetch;
using Clock = std::chrono::steady_clock;

std::shared_ptr<ParkedFetch> parked(Loop& loop, Clock::time_point deadline,
                                    std::atomic<std::size_t>* parked_count = nullptr) {
  return std::make_shared<ParkedFetch>(fetch_request({"default"}, 1, core::Micros{1}), loop.strand(), deadline,
                                       parked_count);
}

// The answer; a wake (look again) is an error here, for the tests that expect none.
asio::awaitable<ParkedFetch::Answer> wait_on(std::shared_ptr<ParkedFetch> fetch) {
  auto answer = co_await fetch->wait();
  if (!answer) co_return core::make_error(core::Errc::internal, "woken");
  co_return std::move(*answer);
}

asio::awaitable<bool> woken_to_look(std::shared_ptr<ParkedFetch> fetch) {
  auto answer = co_await fetch->wait();
  co_return !answer.has_value();
}

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

TEST(ParkedFetch, AWakeSendsAWaitingFetchToLookForItselfAndNoBatchCanTakeItAfter) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  auto looks = loop.spawn(woken_to_look(fetch));
  EXPECT_TRUE(fetch->wake());
  EXPECT_TRUE(await(std::move(looks)));
  EXPECT_TRUE(fetch->woken());
  EXPECT_FALSE(fetch->take());
  EXPECT_FALSE(fetch->wake()) << "a second wake is for another fetch";
}

TEST(ParkedFetch, AWakeWhileABatchHoldsItSendsItToLookWhenTheBatchPutsItBack) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  auto looks = loop.spawn(woken_to_look(fetch));
  ASSERT_TRUE(fetch->take());
  EXPECT_TRUE(fetch->wake()) << "taken: the wake is kept for it";
  EXPECT_FALSE(fetch->put_back());
  EXPECT_TRUE(await(std::move(looks)));
}

TEST(ParkedFetch, AWakeWhileABatchHoldsItGivesWayToTheBatchsJobs) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  auto answer = loop.spawn(wait_on(fetch));
  ASSERT_TRUE(fetch->take());
  EXPECT_TRUE(fetch->wake());
  fetch->answer(std::vector<core::Job>{job_named("a")});
  EXPECT_EQ(ids_of(must(await(std::move(answer)))), std::vector<std::string>{"a"});
  EXPECT_TRUE(fetch->woken()) << "so the wake it had no use for is passed on";
}

TEST(ParkedFetch, AnAnsweredFetchTakesNoWake) {
  Loop loop;
  auto fetch = parked(loop, Clock::now() + kLongWait);
  auto answer = loop.spawn(wait_on(fetch));
  ASSERT_TRUE(fetch->take());
  fetch->answer(std::vector<core::Job>{});
  EXPECT_FALSE(fetch->wake());
  EXPECT_FALSE(fetch->woken());
  EXPECT_TRUE(must(await(std::move(answer))).empty());
}

}  // namespace
}  // namespace corral::test
