// Conformance, trace ids: a job keeps the W3C trace id it was enqueued with (single or batch),
// every job enqueued without one gets a fresh valid one from the backend, and the id stays the
// job's through its lease, its events and a restart.
#include "queue/conformance/queue_conformance.hpp"

#include "core/ids.hpp"

#include <set>

namespace corral::test {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";

TEST_P(QueueConformance, AJobKeepsTheTraceIdItWasEnqueuedWithThroughItsLeaseAndEvents) {
  auto req = job_request();
  req.trace_id = kTrace;
  auto const job = enqueue(req);
  EXPECT_EQ(job.trace_id, kTrace);
  auto const leased = fetch_one();
  EXPECT_EQ(leased.trace_id, kTrace);
  must(complete(job.id, *leased.lease_token));
  EXPECT_EQ(must(get(job.id)).trace_id, kTrace);

  std::set<std::string> traces;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    traces.clear();
    std::size_t n = 0;
    for (auto const& e : svc().events().read_after(0, 1000).events) {
      if (e->job_id != job.id) continue;
      traces.insert(e->trace_id);
      ++n;
    }
    return n >= 3;   // enqueued, started, completed
  }));
  EXPECT_EQ(traces, std::set<std::string>{kTrace});

  close();
  open();
  EXPECT_EQ(must(get(job.id)).trace_id, kTrace);
}

TEST_P(QueueConformance, EachJobEnqueuedWithoutATraceIdGetsAFreshValidOne) {
  std::vector<core::EnqueueRequest> batch(3, job_request());
  batch[1].trace_id = kTrace;
  auto const results = must(run(svc().enqueue_batch(batch)));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].job.trace_id, kTrace);
  auto const single = enqueue(job_request());
  std::set<std::string> drawn;
  for (auto const* job : {&results[0].job, &results[2].job, &single}) {
    EXPECT_TRUE(core::is_trace_id(job->trace_id)) << job->trace_id;
    EXPECT_EQ(must(get(job->id)).trace_id, job->trace_id);
    drawn.insert(job->trace_id);
  }
  EXPECT_EQ(drawn.size(), 3u);
  EXPECT_FALSE(drawn.contains(kTrace));
}

}  // namespace
}  // namespace corral::test
