// The long-poll protocol of the shared backend (long_poll.hpp) over the real Waiters, with a
// claim that counts its calls: a wake-up reaches a waiter, a wake whose work another fetch took
// first ends with the claim that found it gone, and a batch may claim for a parked fetch instead.
#include "queue/long_poll.hpp"

#include "queue/queue_harness.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>

namespace corral::test {
namespace {

// The work the fake backend holds: `ready` jobs, taken one per claim.
struct FakeQueue {
  std::atomic<int> ready{0};
  std::atomic<int> claims{0};

  queue::Task<std::vector<core::Job>> claim() {
    ++claims;
    std::vector<core::Job> out;
    if (ready.fetch_sub(1) > 0) {
      out.emplace_back().id = "job";
    } else {
      ++ready;
    }
    co_return out;
  }
};

// Where the fetches park: `shown` holds the last one parked, as a backend's batches would see it.
struct Parking {
  std::atomic<std::size_t> count{0};
  std::mutex mutex;
  std::shared_ptr<queue::ParkedFetch> shown;

  auto park() {
    return [this](std::shared_ptr<queue::ParkedFetch> const& fetch) {
      std::lock_guard lock(mutex);
      shown = fetch;
      return 0;
    };
  }
  std::shared_ptr<queue::ParkedFetch> last() {
    std::lock_guard lock(mutex);
    return shown;
  }
};

asio::awaitable<core::Result<std::vector<core::Job>>> fetch_from(queue::Waiters& waiters, FakeQueue& q,
                                                                  Parking& parking, queue::FetchRequest req) {
  auto claim = [&q] { return q.claim(); };
  co_return co_await queue::fetch_with_wait(waiters, req, claim, parking.park(), &parking.count);
}

asio::awaitable<core::Result<std::vector<core::Job>>> waiting_fetch(queue::Waiters& waiters, FakeQueue& q,
                                                                     Parking& parking, core::Micros wait) {
  // Named first: g++ 12 cannot build the braced list inside a co_await expression.
  auto req = fetch_request({"default"}, 1, wait);
  co_return co_await fetch_from(waiters, q, parking, std::move(req));
}

TEST(LongPoll, AWaitingFetchIsWokenByANotifyAndTakesTheWork) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  Parking parking;
  auto fetch = loop.spawn(waiting_fetch(waiters, q, parking, kLongWait));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return parking.count == 1; }));
  ++q.ready;
  waiters.notify("q:default", 1);
  EXPECT_EQ(ids_of(must(await(std::move(fetch)))), std::vector<std::string>{"job"});
}

TEST(LongPoll, AWakeWhoseWorkWasTakenFirstIsNotPassedRoundTheOtherWaiters) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  constexpr int kWaiters = 4;
  // Each waits 300 ms: long enough for a ring of passed-on wakes, each one a claim, to run up
  // thousands of claims; the protocol needs a handful per waiter.
  std::vector<std::future<core::Result<std::vector<core::Job>>>> fetches;
  Parking parking;
  for (int i = 0; i < kWaiters; ++i) {
    fetches.push_back(loop.spawn(waiting_fetch(waiters, q, parking, core::Micros{300'000})));
  }
  ASSERT_TRUE(wait_until(kDeadline, [&] { return parking.count == kWaiters; }));
  // A wake for work that is already gone (another fetch took it): the woken waiter looks once.
  waiters.notify("q:default", 1);
  for (auto& f : fetches) EXPECT_TRUE(must(await(std::move(f))).empty());
  // Two claims per waiter before the wake (one, then one more once registered); after it, one by
  // the woken waiter, and none as the waits run out.
  EXPECT_LE(q.claims.load(), 2 * kWaiters + 1);
}

TEST(LongPoll, AWakeIsPassedOnByAWaiterWhoseAskerHungUpBeforeItLooked) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  std::atomic<bool> gone{false};
  auto hung_up = [&] {
    auto req = fetch_request({"default"}, 1, kLongWait);
    req.abandoned = [&gone] { return gone.load(); };
    return req;
  };
  Parking parking;
  auto first = loop.spawn(fetch_from(waiters, q, parking, hung_up()));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return parking.count == 1; }));
  auto second = loop.spawn(waiting_fetch(waiters, q, parking, kLongWait));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return parking.count == 2; }));
  // The oldest waiter is woken for one job, but its asker is gone: the job must reach the other.
  gone = true;
  ++q.ready;
  waiters.notify("q:default", 1);
  EXPECT_TRUE(must(await(std::move(first))).empty());
  EXPECT_EQ(ids_of(must(await(std::move(second)))), std::vector<std::string>{"job"});
}

// A fetch of `kLongWait`, once it is parked: what only a batch or a wake can answer now.
std::future<core::Result<std::vector<core::Job>>> parked_fetch(Loop& loop, queue::Waiters& waiters, FakeQueue& q,
                                                               Parking& parking) {
  auto const before = parking.count.load();
  auto fetch = loop.spawn(waiting_fetch(waiters, q, parking, kLongWait));
  EXPECT_TRUE(wait_until(kDeadline, [&] { return parking.count == before + 1; }));
  return fetch;
}

TEST(LongPoll, ABatchThatClaimsForAParkedFetchAnswersItWithoutAClaimOfItsOwn) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  Parking parking;
  auto fetch = parked_fetch(loop, waiters, q, parking);
  int const claims = q.claims.load();
  // A batch takes it, claims in its own transaction, and answers once that has committed.
  auto parked = parking.last();
  ASSERT_TRUE(parked->take());
  parked->answer(std::vector<core::Job>{job_named("served")});
  EXPECT_EQ(ids_of(must(await(std::move(fetch)))), std::vector<std::string>{"served"});
  EXPECT_EQ(q.claims.load(), claims);
  EXPECT_EQ(parking.count, 0u);
}

TEST(LongPoll, AWakeWhileABatchHoldsTheFetchSendsItToLookOnceTheBatchFoundNothing) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  Parking parking;
  auto fetch = parked_fetch(loop, waiters, q, parking);
  auto parked = parking.last();
  ASSERT_TRUE(parked->take());
  // Another node's job, say, which this node's batch did not see: the wake must not be lost.
  ++q.ready;
  waiters.notify("q:default", 1);
  EXPECT_FALSE(parked->put_back()) << "the batch found nothing, and the wake sends the fetch to look";
  EXPECT_EQ(ids_of(must(await(std::move(fetch)))), std::vector<std::string>{"job"});
}

TEST(LongPoll, AWakeAFetchServedByABatchHadNoUseForGoesToTheNextWaiter) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  Parking first_parking, second_parking;
  auto first = parked_fetch(loop, waiters, q, first_parking);
  auto second = parked_fetch(loop, waiters, q, second_parking);
  // A batch holds the first when a wake for other work arrives; the batch then serves it.
  auto parked = first_parking.last();
  ASSERT_TRUE(parked->take());
  ++q.ready;
  waiters.notify("q:default", 1);
  parked->answer(std::vector<core::Job>{job_named("served")});
  EXPECT_EQ(ids_of(must(await(std::move(first)))), std::vector<std::string>{"served"});
  // The wake, unused, reaches the second waiter, which takes the other job.
  EXPECT_EQ(ids_of(must(await(std::move(second)))), std::vector<std::string>{"job"});
}

TEST(LongPoll, ShutdownAnswersAParkedFetchWithNothing) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  Parking parking;
  auto fetch = parked_fetch(loop, waiters, q, parking);
  waiters.close();
  EXPECT_TRUE(must(await(std::move(fetch))).empty());
}

}  // namespace
}  // namespace corral::test
