// The embedded backend's list queries read the sort's own index in order and stop at the page's
// limit: SQLite's plan for every sort and filter has no temporary b-tree to sort the matches, and
// sort=updated reads jobs_by_updated. With millions of jobs, a sort of every match would be a
// full read per page.
#include "queue/sqlite/job_store.hpp"

#include "queue/list_plan_cases.hpp"
#include "queue/list_sql.hpp"
#include "queue/sqlite/migrate.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace corral::sqlite {
namespace {

std::string plan_of(Database& db, std::string const& sql) {
  Statement st = db.prepare("EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  for (;;) {
    auto row = st.step();
    if (!row || !*row) break;
    plan += st.text(3) + "\n";
  }
  return plan;
}

TEST(ListPlan, EverySortReadsAnIndexInOrderWithoutSortingTheMatches) {
  test::TempDir dir;
  auto db = Database::open((dir.path() / "corral.db").string(), Database::Mode::read_write).value();
  migrate(db).value();
  for (auto const& c : test::list_plan_cases()) {
    auto const sql = queue::list_sql(c.query, queue::SqlDialect::sqlite);
    auto const plan = plan_of(db, queue::list_select(c.query, sql, "jobs", 51));
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << c.name << ":\n" << plan;
    if (c.query.sort == queue::ListSort::updated) {
      EXPECT_NE(plan.find("jobs_by_updated"), std::string::npos) << c.name << ":\n" << plan;
    }
  }
}

}  // namespace
}  // namespace corral::sqlite
