// A batch's update of the jobs it changed finds each row by its primary key, whatever the size of
// the table: it never reads the whole table. PostgreSQL takes any set-returning function for 100
// rows, so up to some thousands of jobs, where a scan looks cheaper than 100 probes of the key, the
// plain join of the batch's records with corral_jobs scanned every job for each batch of a fetch
// or a complete (2.2 ms a batch at 5,000 jobs, 0.3 ms by the key). Real statistics here, nothing
// priced out: this is the plan the server gets.
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

// A table of this many jobs of a few hundred bytes each is one the old join scanned.
constexpr int kTableJobs = 2'000;

TEST(UpdatePlan, ABatchsUpdateFindsItsJobsByPrimaryKeyNotByReadingTheTable) {
  auto conn = test::pg_migrated_database("corral_update_plan");
  test::pg_insert_queued_jobs(*conn, kTableJobs, "0", "'{\"text\": \"' || repeat('x', 300) || '\"}'");

  // Two records, as a fetch and a complete of one job each write them.
  std::string const records = R"([{"seq": 10, "status": "running"}, {"seq": 20, "status": "running"}])";
  for (auto const* mode : {"force_custom_plan", "force_generic_plan"}) {
    ASSERT_TRUE(conn->exec(std::string("SET plan_cache_mode = ") + mode));
    auto const plan = test::pg_plan_of(*conn, update_jobs_sql(), {records});
    EXPECT_EQ(plan.find("Seq Scan on corral_jobs"), std::string::npos) << mode << ":\n" << plan;
    EXPECT_NE(plan.find("corral_jobs_pkey"), std::string::npos) << mode << ":\n" << plan;
  }
}

}  // namespace
}  // namespace corral::postgres
