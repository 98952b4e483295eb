// Bulk actions on two nodes at once: each batch is one transaction that locks its jobs and judges
// each by its state then, so the same bulk action sent to both nodes changes every job once
// between them, and the other node skips it.
#include "multinode/two_nodes.hpp"

namespace corral::test {
namespace {

constexpr int kJobs = 1200;   // three batches of 500 per node

// The same bulk action on both nodes at once; returns (changed on a, changed on b).
std::pair<std::int64_t, std::int64_t> on_both(std::string const& a_url, std::string const& b_url,
                                              json::object const& body) {
  Background on_a(a_url, [body](Client& c) { return c.post("/api/v1/jobs/bulk", body); });
  Background on_b(b_url, [body](Client& c) { return c.post("/api/v1/jobs/bulk", body); });
  auto const ra = expect_json(on_a.reply(), 200);
  auto const rb = expect_json(on_b.reply(), 200);
  return {ra.at("changed").as_int64(), rb.at("changed").as_int64()};
}

TEST_F(TwoNodes, TheSameBulkActionOnBothNodesChangesEachJobOnce) {
  for (int i = 0; i < kJobs / 400; ++i) enqueue_many(a(), 400, "t", "bulk");
  json::object const cancel{{"action", "cancel"}, {"filter", {{"queue", "bulk"}}}};
  auto const [cancelled_a, cancelled_b] = on_both(a_.url(), b_.url(), cancel);
  EXPECT_EQ(cancelled_a + cancelled_b, kJobs) << "each job cancelled by one node, skipped by the other";
  auto counted = list_jobs(b(), "queue=bulk&status=cancelled&count=1&limit=1");
  EXPECT_EQ(field(counted, "total"), json::value(kJobs));

  json::object const retry{{"action", "retry"}, {"filter", {{"queue", "bulk"}, {"status", "cancelled"}}}};
  auto const [retried_a, retried_b] = on_both(a_.url(), b_.url(), retry);
  EXPECT_EQ(retried_a + retried_b, kJobs) << "each job retried once";
  counted = list_jobs(a(), "queue=bulk&status=queued&count=1&limit=1");
  EXPECT_EQ(field(counted, "total"), json::value(kJobs));
}

}  // namespace
}  // namespace corral::test
