// Concurrency and rate limits across two nodes on one PostgreSQL: each node claims for its own
// workers, and the limits hold over both. Executions are recorded by the workers themselves, outside Corral.
#include "http/limits_support.hpp"
#include "multinode/two_nodes.hpp"

namespace corral::test {
namespace {

using LimitsAcrossNodes = TwoNodes;

TEST_F(LimitsAcrossNodes, AQueueLimitOfThreeHoldsOverBothNodes) {
  expect_json(patch_queue(a(), "limited", {{"max_running", 3}}), 200);
  constexpr int kJobs = 120;
  enqueue_many(b(), kJobs, "t", "limited");
  Executions seen;
  run_workers({a_.url(), b_.url()}, 32, "limited", kJobs, seen, std::chrono::seconds(120));
  EXPECT_EQ(seen.done(), kJobs);
  EXPECT_LE(seen.max_running(), 3);
}

TEST_F(LimitsAcrossNodes, APerKeyLimitHoldsOverBothNodesWhileOtherKeysFlow) {
  // Set on one node, claimed through both: the other hears of it by its next maintenance tick,
  // and claims nothing of the queue until then.
  expect_json(patch_queue(b(), "customers", {{"max_running_per_key", 1}}), 200);
  constexpr int kJobs = 80;
  json::array jobs;
  for (int i = 0; i < kJobs; ++i) {
    jobs.push_back(json::object{{"type", "t"}, {"queue", "customers"}, {"concurrency_key", "c" + std::to_string(i % 4)}});
  }
  enqueue_batch(a(), std::move(jobs));
  Executions seen;
  run_workers({a_.url(), b_.url()}, 16, "customers", kJobs, seen, std::chrono::seconds(120));
  EXPECT_EQ(seen.done(), kJobs);
  for (auto const& key : {"c0", "c1", "c2", "c3"}) EXPECT_LE(seen.max_of_key(key), 1) << key;
}

TEST_F(LimitsAcrossNodes, ARateLimitOfFiftyASecondHoldsOverBothNodesWithinTenPercent) {
  // One bucket in the shared database: both nodes' claims take from it. A bucket of five absorbs
  // the time between a token's arrival and the claim that takes it.
  expect_json(patch_queue(a(), "partner", {{"rate_limit", {{"jobs", 50}, {"per_s", 1}, {"burst", 5}}}}), 200);
  constexpr int kJobs = 560;
  enqueue_many(b(), kJobs, "t", "partner");
  Executions seen;
  run_workers({a_.url(), b_.url()}, 8, "partner", kJobs, seen, std::chrono::seconds(120));
  EXPECT_EQ(seen.done(), kJobs);
  auto const in_ten_seconds = seen.started_within(std::chrono::seconds(10));
  EXPECT_GE(in_ten_seconds, 450) << "slower than the limit: are waiting fetches woken by the tokens?";
  EXPECT_LE(in_ten_seconds, 550) << "the nodes took more than one bucket's tokens";
}

TEST_F(LimitsAcrossNodes, ALimitSetOnOneNodeIsShownByTheOther) {
  expect_json(patch_queue(a(), "shown", {{"max_running", 4}}), 200);
  auto reply = expect_json(b().get("/api/v1/queues"), 200);
  bool found = false;
  for (auto const& q : reply.at("queues").as_array()) {
    if (str(q.as_object(), "name") != "shown") continue;
    found = true;
    EXPECT_EQ(field(q.as_object(), "max_running"), json::value(4));
  }
  EXPECT_TRUE(found) << json::serialize(reply);
}

}  // namespace
}  // namespace corral::test
