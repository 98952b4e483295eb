// The shared backend's list queries can read the sort's own index in order: with sequential
// scans and sorts priced out (enable_seqscan, enable_sort off), PostgreSQL's plan for every sort
// and filter has no Sort node, and sort=updated reads corral_jobs_by_updated. With real
// statistics the planner may prefer another index for a rare filter; this holds that it always
// has one that serves the sort.
#include "queue/postgres/job_rows.hpp"

#include "queue/list_plan_cases.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

TEST(ListPlan, EverySortCanReadAnIndexInOrderWithoutSortingTheMatches) {
  auto conn = test::pg_migrated_database("corral_plans");
  ASSERT_TRUE(conn->exec("SET enable_seqscan = off"));
  ASSERT_TRUE(conn->exec("SET enable_sort = off"));
  for (auto const& c : test::list_plan_cases()) {
    auto const sql = queue::list_sql(c.query, queue::SqlDialect::postgres);
    auto const plan = test::pg_plan_of(*conn, queue::list_select(c.query, sql, "corral_jobs", 51), text_params(sql.params));
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << c.name << ":\n" << plan;
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << c.name << ":\n" << plan;
    if (c.query.sort == queue::ListSort::updated) {
      EXPECT_NE(plan.find("corral_jobs_by_updated"), std::string::npos) << c.name << ":\n" << plan;
    }
  }
}

}  // namespace
}  // namespace corral::postgres
