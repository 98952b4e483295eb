// A worker's claim of one job (or a few) is planned once per connection, not at every call, and
// its one plan reads the queue's ready jobs through corral_jobs_ready in order. With the count as
// $2, PostgreSQL priced the generic plan's LIMIT as a tenth of the queue, so with a queue of
// thousands it made a new custom plan for nearly every claim (176 µs of its CPU each,
// docs/benchmarks.md). Real statistics here: the plans the server gets.
#include "queue/postgres/batch.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

constexpr int kQueuedJobs = 5'000;

TEST(ClaimPlan, AClaimOfAFewJobsKeepsOnePlanThatReadsTheReadyIndexInOrder) {
  auto conn = test::pg_migrated_database("corral_claim_plan");
  test::pg_insert_queued_jobs(*conn, kQueuedJobs, "n % 3", "'{}'");

  for (int n : {1, 3, kClaimCountsInText}) {
    auto const claim = claim_statement(n);
    ASSERT_FALSE(claim.count_is_param) << n;
    ASSERT_TRUE(conn->exec("BEGIN"));
    for (int i = 0; i < 12; ++i) {
      auto rows = conn->query(claim.name, claim.sql, {std::string("q"), std::string("[]")});
      ASSERT_TRUE(rows) << rows.error().error.message;
      ASSERT_EQ(rows->size(), n);
      EXPECT_EQ(rows->int64(0, 0), 2) << "the first job of the highest priority (2)";
    }
    ASSERT_TRUE(conn->exec("ROLLBACK"));

    auto counts = conn->query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1",
                                 {claim.name});
    ASSERT_TRUE(counts) << counts.error().error.message;
    ASSERT_EQ(counts->size(), 1);
    EXPECT_GE(counts->int64(0, 0), 7) << n << ": after the first five, every call reuses the generic plan";
    EXPECT_LE(counts->int64(0, 1), 5) << n;

    auto const plan = test::pg_plan_of(*conn, "EXECUTE " + claim.name + "('q', '[]')");
    EXPECT_NE(plan.find("corral_jobs_ready"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
    EXPECT_NE(plan.find("$1"), std::string::npos) << "the generic plan, for any queue:\n" << plan;
  }

  // More jobs than that: one statement with the count as a parameter.
  auto const many = claim_statement(kClaimCountsInText + 1);
  EXPECT_TRUE(many.count_is_param);
  auto rows = conn->query(many.name, many.sql, {std::string("q"), std::string("100"), std::string("[]")});
  ASSERT_TRUE(rows) << rows.error().error.message;
  EXPECT_EQ(rows->size(), 100);
}

}  // namespace
}  // namespace corral::postgres
