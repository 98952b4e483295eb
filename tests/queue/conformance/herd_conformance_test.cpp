// Conformance, many failures at once: when a thousand attempts fail together (a dependency went
// down) or a thousand leases run out together (a worker fleet died), their retries are spread
// over the jitter window instead of coming back at one instant and failing together again.
#include "queue/conformance/queue_conformance.hpp"
#include "support/wait_until.hpp"

#include <algorithm>
#include <functional>
#include <set>

namespace corral::test {
namespace {

using core::JobState;

constexpr int kJobs = 1000;

using EnqueueBatch = std::function<void(std::vector<core::EnqueueRequest>)>;
using Fetch = std::function<std::vector<core::Job>(queue::FetchRequest)>;

// Enqueues kJobs jobs in `queue` with a 100 s first backoff and ±50 % jitter, and leases them all.
std::vector<core::Job> lease_all(EnqueueBatch const& enqueue_batch, Fetch const& fetch, std::string const& queue,
                                 std::optional<core::Micros> lease) {
  std::vector<core::EnqueueRequest> reqs;
  for (int i = 0; i < kJobs; ++i) {
    auto req = job_request(queue);
    req.backoff.initial_s = 100;
    req.backoff.jitter = 0.5;
    reqs.push_back(std::move(req));
  }
  for (std::size_t at = 0; at < reqs.size(); at += 250) {
    std::vector<core::EnqueueRequest> part(reqs.begin() + static_cast<long>(at),
                                           reqs.begin() + static_cast<long>(std::min(at + 250, reqs.size())));
    enqueue_batch(std::move(part));
  }
  std::vector<core::Job> leased;
  while (leased.size() < static_cast<std::size_t>(kJobs)) {
    auto req = fetch_request({queue}, 100);
    req.lease = lease;
    auto jobs = fetch(req);
    if (jobs.empty()) break;
    leased.insert(leased.end(), jobs.begin(), jobs.end());
  }
  return leased;
}

// Each job's retry delay, from the instant its attempt ended (its updated_at) to its run_at, in
// seconds, sorted.
std::vector<double> retry_delays(std::vector<core::Job> const& jobs) {
  std::vector<double> out;
  for (auto const& j : jobs) out.push_back(core::micros_to_seconds(j.run_at - j.updated_at));
  std::sort(out.begin(), out.end());
  return out;
}

// Spread over the window 100 s ± 50 %: within it, nearly all distinct, and filling it rather
// than bunched in a corner (each quarter of the window holds a good share).
void expect_spread(std::vector<double> const& delays) {
  ASSERT_EQ(delays.size(), static_cast<std::size_t>(kJobs));
  EXPECT_GE(delays.front(), 50.0);
  EXPECT_LE(delays.back(), 150.0);
  std::set<long> distinct_ms;
  for (double d : delays) distinct_ms.insert(static_cast<long>(d * 1000));
  EXPECT_GT(distinct_ms.size(), static_cast<std::size_t>(kJobs * 9 / 10)) << "retries bunch at the same instants";
  for (int quarter = 0; quarter < 4; ++quarter) {
    double const lo = 50 + 25.0 * quarter, hi = lo + 25;
    auto n = std::count_if(delays.begin(), delays.end(), [&](double d) { return d >= lo && d < hi; });
    EXPECT_GT(n, kJobs / 8) << "too few retries between " << lo << " s and " << hi << " s";
  }
}

TEST_P(QueueConformance, AThousandFailuresAtOnceRetryAcrossTheJitterWindow) {
  auto const leased = lease_all([this](auto reqs) { must(run(svc().enqueue_batch(std::move(reqs)))); },
                                [this](auto req) { return fetch(std::move(req)); }, "herd-fail", std::nullopt);
  ASSERT_EQ(leased.size(), static_cast<std::size_t>(kJobs));
  std::vector<core::Job> failed;
  for (auto const& job : leased) failed.push_back(must(fail(job.id, *job.lease_token)));
  for (auto const& job : failed) ASSERT_EQ(job.status, JobState::retrying);
  expect_spread(retry_delays(failed));
}

TEST_P(QueueConformance, AThousandLeasesExpiringAtOnceRetryAcrossTheJitterWindow) {
  auto const leased = lease_all([this](auto reqs) { must(run(svc().enqueue_batch(std::move(reqs)))); },
                                [this](auto req) { return fetch(std::move(req)); }, "herd-expire",
                                core::Micros{1'000'000});
  ASSERT_EQ(leased.size(), static_cast<std::size_t>(kJobs));
  // The server expires them by itself; wait until it has expired them all.
  std::vector<core::Job> expired;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    expired.clear();
    for (auto const& job : leased) {
      auto now = must(get(job.id));
      if (now.status != JobState::retrying) return false;
      expired.push_back(std::move(now));
    }
    return true;
  }));
  expect_spread(retry_delays(expired));
}

}  // namespace
}  // namespace corral::test
