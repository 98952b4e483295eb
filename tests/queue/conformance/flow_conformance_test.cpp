// Conformance, flow settings: a queue's rate limit (a token bucket; core/queue_flow.hpp) and
// priority aging, stored by update_queue (absent kept, null cleared), listed by queues(), kept
// across a reopen; a rate limit of 50 jobs a second holds within 10 % over 10 s while workers
// wait on the queue; a waiting fetch gets its job when the next token arrives, and other queues
// of the same fetch are served meanwhile; with aging on, a low-priority job starts under a
// constant stream of high-priority jobs, which without aging it never would.
#include "queue/conformance/queue_conformance.hpp"

#include <chrono>
#include <mutex>

namespace corral::test {
namespace {

using Clock = std::chrono::steady_clock;

queue::QueueUpdate rate_update(std::optional<core::QueueRateLimit> limit) {
  queue::QueueUpdate u;
  u.rate_limit.emplace(std::move(limit));
  return u;
}

queue::QueueUpdate aging_update(std::optional<double> rate) {
  queue::QueueUpdate u;
  u.priority_aging_per_s.emplace(rate);
  return u;
}

std::optional<queue::QueueInfo> listed(std::vector<queue::QueueInfo> const& all, std::string const& name) {
  for (auto const& q : all) {
    if (q.name == name) return q;
  }
  return std::nullopt;
}

// A worker outside Corral: fetches (waiting) until `until`, completes each job at once, and
// records when it received it, by this process's clock.
queue::Task<std::vector<Clock::time_point>> worker(queue::QueueService& svc, std::string queue, Clock::time_point until) {
  std::vector<Clock::time_point> started;
  // Named before each co_await: g++ 12 mishandles some temporaries inside one.
  auto const ask = fetch_request({queue}, 1, core::Micros{500'000});
  std::string const result = "{}";
  while (Clock::now() < until) {
    auto jobs = co_await svc.fetch(ask);
    if (!jobs) co_return jobs.error();
    for (auto const& job : *jobs) {
      started.push_back(Clock::now());
      queue::CompleteRequest report{*job.lease_token, result};
      auto done = co_await svc.complete(job.id, std::move(report));
      if (!done) co_return done.error();
    }
  }
  co_return started;
}

TEST_P(QueueConformance, UpdateStoresTheRateLimitAndAgingAndQueuesListsThem) {
  core::QueueRateLimit const limit{50, 1, 10};
  queue::QueueUpdate both = rate_update(limit);
  both.priority_aging_per_s.emplace(0.5);
  auto const info = must(run(svc().update_queue("partner", both)));
  EXPECT_EQ(info.flow.rate_limit, limit);
  EXPECT_EQ(info.flow.priority_aging_per_s, 0.5);
  auto const seen = listed(must(run(svc().queues())), "partner");
  ASSERT_TRUE(seen) << "a queue with only flow settings is listed";
  EXPECT_EQ(seen->flow.rate_limit, limit);
  EXPECT_FALSE(seen->limits.any()) << "the flow settings leave the concurrency limits alone";

  // Absent: kept; null: cleared, one at a time.
  auto const cleared = must(run(svc().update_queue("partner", rate_update(std::nullopt))));
  EXPECT_FALSE(cleared.flow.rate_limit);
  EXPECT_EQ(cleared.flow.priority_aging_per_s, 0.5);
  queue::QueueUpdate limit_only;
  limit_only.max_running.emplace(3);
  EXPECT_EQ(must(run(svc().update_queue("partner", limit_only))).flow.priority_aging_per_s, 0.5);
  EXPECT_FALSE(must(run(svc().update_queue("partner", aging_update(std::nullopt)))).flow.any());
}

TEST_P(QueueConformance, FlowSettingsSurviveAReopenAndTheConfigFilesGoOverThem) {
  must(run(svc().update_queue("partner", rate_update(core::QueueRateLimit{5, 2, std::nullopt}))));
  must(run(svc().update_queue("partner", aging_update(2.5))));
  close();
  open();
  auto seen = listed(must(run(svc().queues())), "partner");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->flow.rate_limit, (core::QueueRateLimit{5, 2, std::nullopt}));
  EXPECT_EQ(seen->flow.priority_aging_per_s, 2.5);
  close();
  options_.queue_settings["partner"] = rate_update(core::QueueRateLimit{7, 1, 3});
  open();
  seen = listed(must(run(svc().queues())), "partner");
  EXPECT_EQ(seen->flow.rate_limit, (core::QueueRateLimit{7, 1, 3}));
  EXPECT_EQ(seen->flow.priority_aging_per_s, 2.5) << "what the file does not name is kept";
}

TEST_P(QueueConformance, AnEmptyBucketHandsOutNothingMoreButOtherQueuesOfTheFetchStillServe) {
  must(run(svc().update_queue("partner", rate_update(core::QueueRateLimit{2, 3600, std::nullopt}))));
  for (int i = 0; i < 3; ++i) enqueue(job_request("partner"));
  auto const other = enqueue(job_request("other"));
  auto const first = fetch(fetch_request({"partner", "other"}, 10));
  ASSERT_EQ(first.size(), 3u) << "the burst of two, then the other queue's job";
  EXPECT_EQ(first.back().id, other.id);
  EXPECT_TRUE(fetch(fetch_request({"partner"}, 10)).empty()) << "the bucket is empty for an hour";
  // Lifting the limit lets the rest go at once.
  must(run(svc().update_queue("partner", rate_update(std::nullopt))));
  EXPECT_EQ(fetch(fetch_request({"partner"}, 10)).size(), 1u);
}

TEST_P(QueueConformance, AWaitingFetchGetsItsJobWhenTheNextTokenArrives) {
  // One token a second, the bucket holding one: the first job takes it, the second waits for
  // the next, which the fetch below gets without being asked again.
  must(run(svc().update_queue("partner", rate_update(core::QueueRateLimit{1, 1, std::nullopt}))));
  enqueue(job_request("partner"));
  auto const second = enqueue(job_request("partner"));
  ASSERT_EQ(fetch(fetch_request({"partner"})).size(), 1u);
  auto const asked = Clock::now();
  auto const got = fetch(fetch_request({"partner"}, 1, kLongWait));
  ASSERT_EQ(ids_of(got), std::vector<std::string>{second.id});
  // Answered by the token, long before the fetch's own wait ran out.
  EXPECT_LT(Clock::now() - asked, std::chrono::seconds(10));
}

TEST_P(QueueConformance, ARateLimitOfFiftyASecondHoldsWithinTenPercentOverTenSeconds) {
  // Fifty a second. The bucket holds five: a few tokens absorb the time between a token's arrival
  // and the claim that takes it (a bucket of one would lose that time at every start), while the
  // window below holds at most five more than the rate allows.
  must(run(svc().update_queue("partner", rate_update(core::QueueRateLimit{50, 1, 5}))));
  std::vector<core::EnqueueRequest> batch(700, job_request("partner"));
  must(run(svc().enqueue_batch(batch)));
  auto const begin = Clock::now();
  auto const until = begin + std::chrono::seconds(11);
  std::vector<std::future<core::Result<std::vector<Clock::time_point>>>> workers;
  for (int i = 0; i < 4; ++i) workers.push_back(spawn(worker(svc(), "partner", until)));
  std::vector<Clock::time_point> started;
  for (auto& w : workers) {
    auto times = must(await(std::move(w), std::chrono::seconds(40)));
    started.insert(started.end(), times.begin(), times.end());
  }
  // A window of 10 s from the first start: 500 jobs at the limit.
  ASSERT_FALSE(started.empty());
  auto const first = *std::min_element(started.begin(), started.end());
  auto const in_window = std::count_if(started.begin(), started.end(),
                                       [&](auto t) { return t >= first && t < first + std::chrono::seconds(10); });
#if defined(__SANITIZE_THREAD__)
  // Under ThreadSanitizer the workers themselves run slower than fifty jobs a second: only the
  // limit is checked there; every other build holds the rate to within 10 % below it too.
  constexpr bool kWorkersKeepUp = false;
#else
  constexpr bool kWorkersKeepUp = true;
#endif
  if (kWorkersKeepUp) {
    EXPECT_GE(in_window, 450) << "the queue ran slower than its limit: are waiting fetches woken by the tokens?";
  }
  EXPECT_LE(in_window, 550) << "the queue ran faster than its limit";
}

TEST_P(QueueConformance, WithAgingALowPriorityJobStartsUnderAStreamOfHighPriorityJobs) {
  // A point every millisecond: the low job (priority -1000) overtakes a newly enqueued job of
  // priority 1000 once it has waited two seconds.
  must(run(svc().update_queue("aging", aging_update(1000))));
  auto const low = enqueue(job_request("aging", -1000));
  auto const deadline = Clock::now() + kDeadline;
  bool low_started = false;
  int high_started = 0;
  // The stream: two new high-priority jobs for every one taken, so one is always waiting.
  enqueue(job_request("aging", 1000));
  while (!low_started && Clock::now() < deadline && high_started < 100'000) {
    enqueue(job_request("aging", 1000));
    enqueue(job_request("aging", 1000));
    auto const job = fetch_one("aging");
    must(complete(job.id, *job.lease_token));
    if (job.id == low.id) low_started = true;
    else ++high_started;
  }
  EXPECT_TRUE(low_started) << "after " << high_started << " high-priority jobs";
  EXPECT_GT(high_started, 0);
}

TEST_P(QueueConformance, WithoutAgingTheHighPriorityStreamGoesFirst) {
  auto const low = enqueue(job_request("plain", -1000));
  for (int i = 0; i < 50; ++i) {
    enqueue(job_request("plain", 1000));
    auto const job = fetch_one("plain");
    ASSERT_NE(job.id, low.id) << "without aging, priority alone orders";
    must(complete(job.id, *job.lease_token));
  }
}

TEST_P(QueueConformance, TurningAgingOnReranksTheJobsAlreadyWaiting) {
  auto const low = enqueue(job_request("aging", -1000));
  // Two seconds later (by the backend's clock, which stamps ready_since), a high job arrives.
  auto const enqueued_at = backend_now();
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > enqueued_at + std::chrono::milliseconds(2100); }));
  auto const high = enqueue(job_request("aging", 1000));
  must(run(svc().update_queue("aging", aging_update(1000))));
  EXPECT_EQ(fetch_one("aging").id, low.id) << "it has waited 2 s at 1000 points a second";
  EXPECT_EQ(fetch_one("aging").id, high.id);
}

}  // namespace
}  // namespace corral::test
