// Dependencies across two nodes on one PostgreSQL: the parents of one child end on both nodes at
// once, and the child is counted down once per parent and released once, with every parent's
// result; a chain whose steps are completed on alternate nodes runs in order.
#include "http/limits_support.hpp"
#include "multinode/two_nodes.hpp"

namespace corral::test {
namespace {

using DependenciesAcrossNodes = TwoNodes;

TEST_F(DependenciesAcrossNodes, AFanInWhoseParentsEndOnBothNodesReleasesTheChildOnce) {
  constexpr int kParents = 300;
  auto const parents = enqueue_many(a(), kParents, "t", "fan");
  json::array ids;
  for (auto const& id : parents) ids.push_back(json::value(id));
  auto const child = enqueue(b(), {{"type", "t"}, {"queue", "after"}, {"depends_on", ids}});
  EXPECT_EQ(str(child, "status"), "waiting");

  Executions seen;
  run_workers({a_.url(), b_.url()}, 16, "fan", kParents, seen, std::chrono::seconds(120));
  EXPECT_EQ(seen.done(), kParents);

  auto const released = fetch_one(b(), {{"queues", json::array{"after"}}});
  EXPECT_EQ(released.id, str(child, "id"));
  EXPECT_EQ(field(released.job, "parents_left"), json::value(0));
  auto const& outcomes = released.job.at("parents").as_array();
  ASSERT_EQ(outcomes.size(), static_cast<std::size_t>(kParents));
  for (auto const& p : outcomes) EXPECT_EQ(str(p.as_object(), "status"), "completed");
  EXPECT_TRUE(fetch(a(), {{"queues", json::array{"after"}}}).empty()) << "released once";
}

TEST_F(DependenciesAcrossNodes, AChainCompletedOnAlternateNodesRunsInOrder) {
  std::vector<std::string> ids{enqueue_id(a(), {{"type", "t"}, {"queue", "chain"}})};
  for (int i = 1; i < 20; ++i) {
    auto& node = i % 2 ? b() : a();
    ids.push_back(enqueue_id(node, {{"type", "t"}, {"queue", "chain"}, {"depends_on", json::array{json::value(ids.back())}}}));
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& node = i % 2 ? a() : b();
    auto const lease = fetch_one(node, {{"queues", json::array{"chain"}}, {"wait_s", 10}});
    ASSERT_EQ(lease.id, ids[i]);
    expect_json(complete(node, lease), 200);
  }
}

}  // namespace
}  // namespace corral::test
