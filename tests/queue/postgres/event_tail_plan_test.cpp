// The event tail's read keeps one plan, the primary key in order, whatever the statistics were
// when it was made: here it is prepared and run while corral_events is empty, as on a new
// database, and then the table fills with a window of 20,000 events. A generic plan made on the
// empty table sorted whatever a bitmap scan found past $1; with the tail's settings the read goes
// down the index in order and stops at its page.
#include "queue/postgres/event_tail.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

TEST(EventTailPlan, TheReadOfNewEventsIsTheIndexInOrderWhateverTheStatisticsWhenPlanned) {
  auto conn = test::pg_migrated_database("corral_tail_plan");
  ASSERT_TRUE(plan_event_reads(*conn));
  for (int i = 0; i < 6; ++i) {
    auto rows = conn->query("corral_events_after", events_after_sql(), {std::string("0")});
    ASSERT_TRUE(rows) << rows.error().error.message;
    EXPECT_EQ(rows->size(), 0);
  }
  ASSERT_TRUE(conn->exec("INSERT INTO corral_events (seq, node, body) SELECT n, 'node', repeat('x', 300)"
                            " FROM generate_series(1, 20000) AS n"));
  // No ANALYZE: inserts leave a prepared statement's plan as it was, so the plan made on the empty
  // table is the one that reads the full one, as between two runs of autovacuum.

  auto const plan = test::pg_plan_of(*conn, "EXECUTE corral_events_after(19990)");
  EXPECT_NE(plan.find("Index Scan using corral_events_pkey"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
  EXPECT_NE(plan.find("$1"), std::string::npos) << "one plan for every value:\n" << plan;

  // And it reads what it should: the events after the one given, in order.
  auto after = conn->query("corral_events_after", events_after_sql(), {std::string("19990")});
  ASSERT_TRUE(after) << after.error().error.message;
  ASSERT_EQ(after->size(), 10);
  EXPECT_EQ(after->int64(0, 0), 19991);
  EXPECT_EQ(after->int64(9, 0), 20000);
}

}  // namespace
}  // namespace corral::postgres
