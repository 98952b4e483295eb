// Priority aging on PostgreSQL reads no more than the plain claim: the PATCH that sets a queue's
// rate builds that queue's index on its rank, and the claim's order is read from it in order
// (no Sort, no Seq Scan, with both priced out as in list_plan_test); clearing the rate drops it,
// so a queue without aging has none.
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/queue_flow_rows.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

queue::QueueUpdate aging(std::optional<double> rate) {
  queue::QueueUpdate u;
  u.priority_aging_per_s.emplace(rate);
  return u;
}

std::int64_t aging_indexes(Connection& conn) {
  auto rows = conn.query("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'corral_jobs_aging_%'", {});
  EXPECT_TRUE(rows) << rows.error().error.message;
  return rows ? rows->int64(0, 0) : -1;
}

TEST(AgingPlan, AnAgingQueuesClaimReadsItsOwnIndexInRankOrder) {
  auto conn = test::pg_migrated_database("corral_aging_plan");
  ASSERT_TRUE(conn->exec("INSERT INTO corral_queues (name, paused) VALUES ('aging', false)"));
  ASSERT_TRUE(queue_flow_update(*conn, "aging", aging(2.5)));
  EXPECT_EQ(aging_indexes(*conn), 1);

  ASSERT_TRUE(conn->exec("SET enable_seqscan = off"));
  ASSERT_TRUE(conn->exec("SET enable_sort = off"));
  auto const sql = skip_locked_jobs_sql("queue = $1 AND status = 'queued'", aging_order_sql(2.5));
  auto const plan = test::pg_plan_of(*conn, sql, {std::string("aging"), std::string("10")});
  EXPECT_NE(plan.find("corral_jobs_aging_"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;

  // A new rate replaces the index; no rate, none.
  ASSERT_TRUE(queue_flow_update(*conn, "aging", aging(7)));
  EXPECT_EQ(aging_indexes(*conn), 1);
  ASSERT_TRUE(queue_flow_update(*conn, "aging", aging(std::nullopt)));
  EXPECT_EQ(aging_indexes(*conn), 0);
}

}  // namespace
}  // namespace corral::postgres
