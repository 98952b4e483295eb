// A worker's claim of one job (or a few) is planned once per connection, not at every call, and
// its one plan reads the queue's ready jobs through corral_jobs_ready in order; so is the claim of
// a queue with a concurrency limit. With the count as a parameter, PostgreSQL priced the generic
// plan's LIMIT as a tenth of the queue, so with a queue of thousands it made a new custom plan for
// nearly every claim (176 µs of its CPU each, docs/benchmarks.md). Real statistics here: the
// plans the server gets.
#include "queue/postgres/batch.hpp"
#include "queue/postgres/limited_claims.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

constexpr int kQueuedJobs = 5'000;
constexpr int kCalls = 12;

// How many generic and custom plans the connection's prepared statement `name` has made.
std::pair<std::int64_t, std::int64_t> plans_of(Connection& conn, std::string const& name) {
  auto counts = conn.query("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1", {name});
  if (!counts || counts->size() != 1) throw std::runtime_error("no prepared statement " + name);
  return {counts->int64(0, 0), counts->int64(0, 1)};
}

TEST(ClaimPlan, AClaimOfAFewJobsKeepsOnePlanThatReadsTheReadyIndexInOrder) {
  auto conn = test::pg_migrated_database("corral_claim_plan");
  test::pg_insert_queued_jobs(*conn, kQueuedJobs, "n % 3", "'{}'");

  for (int n : {1, 3, CountedStatement::kCountsInText}) {
    auto const claim = plain_claim().for_count(n);
    ASSERT_FALSE(claim.count_is_param) << n;
    ASSERT_TRUE(conn->exec("BEGIN"));
    for (int i = 0; i < kCalls; ++i) {
      auto rows = plain_claim().run(*conn, n, {std::string("q"), std::string("[]")});
      ASSERT_TRUE(rows) << rows.error().error.message;
      ASSERT_EQ(rows->size(), n);
      EXPECT_EQ(rows->int64(0, 0), 2) << "the first job of the highest priority (2)";
    }
    ASSERT_TRUE(conn->exec("ROLLBACK"));

    auto const [generic, custom] = plans_of(*conn, claim.name);
    EXPECT_GE(generic, 7) << n << ": after the first five, every call reuses the generic plan";
    EXPECT_LE(custom, 5) << n;

    auto const plan = test::pg_plan_of(*conn, "EXECUTE " + claim.name + "('q', '[]')");
    EXPECT_NE(plan.find("corral_jobs_ready"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
    EXPECT_NE(plan.find("$1"), std::string::npos) << "the generic plan, for any queue:\n" << plan;
  }

  // More jobs than that: one statement with the count as its last parameter.
  EXPECT_TRUE(plain_claim().for_count(CountedStatement::kCountsInText + 1).count_is_param);
  auto rows = plain_claim().run(*conn, 100, {std::string("q"), std::string("[]")});
  ASSERT_TRUE(rows) << rows.error().error.message;
  EXPECT_EQ(rows->size(), 100);
}

// A queue with max_running: the claim takes what the limit leaves room for (here one job at each
// call, as a one-job worker asks), with one plan kept for that room.
TEST(ClaimPlan, TheClaimOfAQueueWithALimitKeepsOnePlanForItsRoom) {
  auto conn = test::pg_migrated_database("corral_claim_plan_limited");
  test::pg_insert_queued_jobs(*conn, kQueuedJobs, "n % 3", "'{}'");
  ASSERT_TRUE(conn->exec("INSERT INTO corral_queues (name, paused, max_running) VALUES ('q', false, 1000)"));

  std::vector<std::int64_t> claimed;
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(conn->exec("BEGIN"));
    std::optional<core::Micros> token_wait;
    auto jobs = claim_limited(*conn, "q", 1, "[]", {}, token_wait);
    ASSERT_TRUE(jobs) << jobs.error().error.message;
    ASSERT_EQ(jobs->size(), 1u);
    claimed.push_back(jobs->front().seq);
    ASSERT_TRUE(conn->exec("ROLLBACK"));
  }
  EXPECT_EQ(claimed, std::vector<std::int64_t>(kCalls, 2)) << "the first job of the highest priority, each time";

  auto const [generic, custom] = plans_of(*conn, "corral_claim_room_1");
  EXPECT_GE(generic, 7) << "after the first five, every call reuses the generic plan";
  EXPECT_LE(custom, 5);
  auto const plan = test::pg_plan_of(*conn, "EXECUTE corral_claim_room_1('q', '[]')");
  EXPECT_NE(plan.find("corral_jobs_ready"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

}  // namespace
}  // namespace corral::postgres
