// The long-poll protocol of the shared backend (long_poll.hpp) over the real Waiters, with a
// claim that counts its calls: a wake-up reaches a waiter, and a wake whose work another fetch
// took first ends with the claim that found it gone.
#include "queue/long_poll.hpp"

#include "queue/queue_harness.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>

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

asio::awaitable<core::Result<std::vector<core::Job>>> waiting_fetch(queue::Waiters& waiters, FakeQueue& q,
                                                                     core::Micros wait) {
  auto const req = fetch_request({"default"}, 1, wait);
  auto claim = [&q] { return q.claim(); };
  co_return co_await queue::fetch_with_wait(waiters, req, claim);
}

TEST(LongPoll, AWaitingFetchIsWokenByANotifyAndTakesTheWork) {
  Loop loop;
  queue::Waiters waiters;
  FakeQueue q;
  auto fetch = loop.spawn(waiting_fetch(waiters, q, kLongWait));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return waiters.parked() == 1; }));
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
  for (int i = 0; i < kWaiters; ++i) fetches.push_back(loop.spawn(waiting_fetch(waiters, q, core::Micros{300'000})));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return waiters.parked() == kWaiters; }));
  // A wake for work that is already gone (another fetch took it): the woken waiter looks once.
  waiters.notify("q:default", 1);
  for (auto& f : fetches) EXPECT_TRUE(must(await(std::move(f))).empty());
  // Two claims per waiter before the wake (one, then one more once registered); after it, one by
  // the woken waiter and one per waiter as its wait runs out.
  EXPECT_LE(q.claims.load(), 2 * kWaiters + 1 + kWaiters);
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
  auto first_req = hung_up();
  auto claim = [&q] { return q.claim(); };
  auto first = loop.spawn(queue::fetch_with_wait(waiters, first_req, claim));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return waiters.parked() == 1; }));
  auto second = loop.spawn(waiting_fetch(waiters, q, kLongWait));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return waiters.parked() == 2; }));
  // The oldest waiter is woken for one job, but its asker is gone: the job must reach the other.
  gone = true;
  ++q.ready;
  waiters.notify("q:default", 1);
  EXPECT_TRUE(must(await(std::move(first))).empty());
  EXPECT_EQ(ids_of(must(await(std::move(second)))), std::vector<std::string>{"job"});
}

}  // namespace
}  // namespace corral::test
