// Stats and health on two corral nodes sharing one PostgreSQL: each node answers with the
// cluster's numbers, not its own: work done on either node counts on both, in counts, outcomes,
// errors and workers seen.
#include "http/api_helpers.hpp"
#include "multinode/two_nodes.hpp"

#include <set>

namespace corral::test {
namespace {

using TwoNodeStats = TwoNodes;

TEST_F(TwoNodeStats, EachNodeAnswersWithTheClustersStats) {
  json::object const job{{"type", "report"}, {"queue", "shared"}};
  expect_json(complete(a(), start_job(a(), job, {{"worker_id", "on-a"}})), 200);
  expect_json(fail(b(), start_job(b(), job, {{"worker_id", "on-b"}}), /*retryable=*/false, "no_data"), 200);
  enqueue(a(), job);

  for (auto* node : {&a(), &b()}) {
    auto s = expect_json(node->get("/api/v1/stats?queue=shared"), 200);
    EXPECT_EQ(num(s, "completed"), 1);
    EXPECT_EQ(num(s, "failed"), 1);
    EXPECT_EQ(num(s, "success_rate"), 0.5);
    auto const& counts = s.at("counts").at("queues").at("shared").as_object();
    EXPECT_EQ(num(counts, "completed"), 1);
    EXPECT_EQ(num(counts, "failed"), 1);
    EXPECT_EQ(num(counts, "queued"), 1);
    auto const& errors = s.at("errors").as_array();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(str(errors[0].as_object(), "code"), "no_data");
    std::set<std::string> workers;
    for (auto const& w : s.at("workers").as_array()) workers.insert(str(w.as_object(), "worker_id"));
    EXPECT_EQ(workers, (std::set<std::string>{"on-a", "on-b"}));

    auto h = node->get("/api/v1/health");
    auto body = expect_json(h, h.status);
    for (auto const& c : body.at("checks").as_array()) {
      if (str(c.as_object(), "name") == "success_rate") {
        EXPECT_EQ(num(c.as_object(), "value"), 0.5);
      }
    }
  }
}

}  // namespace
}  // namespace corral::test
