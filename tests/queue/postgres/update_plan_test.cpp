// A batch's update of the jobs it changed finds each row by its primary key, whatever the size of
// the table: it never reads the whole table. PostgreSQL takes any set-returning function for 100
// rows, so up to some thousands of jobs, where a scan looks cheaper than 100 probes of the key, the
// plain join of the batch's records with corral_jobs scanned every job for each batch of a fetch
// or a complete (2.2 ms a batch at 5,000 jobs, 0.3 ms by the key). Real statistics here, nothing
// priced out: this is the plan the server gets.
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/migrate.hpp"
#include "support/postgres_db.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

// A table of this many jobs of a few hundred bytes each is one the old join scanned.
constexpr int kTableJobs = 2'000;

TEST(UpdatePlan, ABatchsUpdateFindsItsJobsByPrimaryKeyNotByReadingTheTable) {
  auto conn = Connection::open(test::pg_fresh_database("corral_update_plan"), 10'000);
  ASSERT_TRUE(conn) << conn.error().error.message;
  ASSERT_TRUE(migrate(**conn));
  ASSERT_TRUE((*conn)->exec(
      "INSERT INTO corral_jobs (id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s,"
      " backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, attempts,"
      " cancel_requested, created_at, updated_at)"
      " SELECT 'j' || n, 't', 'q', 'queued', 0, 0, 3, 0, 30, 1, 2, 60, 0.1, true, '{\"text\": \"' || repeat('x', 300) || '\"}', '[]', false, 0, 0"
      " FROM generate_series(1, " + std::to_string(kTableJobs) + ") AS n"));
  ASSERT_TRUE((*conn)->exec("ANALYZE corral_jobs"));

  // Two records, as a fetch and a complete of one job each write them.
  std::string const records = R"([{"seq": 10, "status": "running"}, {"seq": 20, "status": "running"}])";
  for (auto const* mode : {"force_custom_plan", "force_generic_plan"}) {
    ASSERT_TRUE((*conn)->exec(std::string("SET plan_cache_mode = ") + mode));
    auto rows = (*conn)->query("EXPLAIN " + update_jobs_sql(), {records});
    ASSERT_TRUE(rows) << rows.error().error.message;
    std::string plan;
    for (int i = 0; i < rows->size(); ++i) plan += std::string(rows->text(i, 0)) + "\n";
    EXPECT_EQ(plan.find("Seq Scan on corral_jobs"), std::string::npos) << mode << ":\n" << plan;
    EXPECT_NE(plan.find("corral_jobs_pkey"), std::string::npos) << mode << ":\n" << plan;
  }
}

}  // namespace
}  // namespace corral::postgres
