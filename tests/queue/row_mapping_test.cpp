// The row mapping tests every backend runs (row_mapping.hpp).
#include "queue/row_mapping.hpp"

#include "queue/job_columns.hpp"
#include "queue/queue_printers.hpp"
#include "support/job_fixtures.hpp"

namespace corral::test {
namespace {

TEST_P(RowMapping, TheColumnTableListsEveryColumnOfTheSchemaInOrder) {
  std::vector<std::string> table;
  for (auto const& c : queue::job_columns()) table.emplace_back(c.name);
  EXPECT_EQ(table, rows().schema_columns());
}

TEST_P(RowMapping, AJobWithEveryFieldSetReadsBackAsItWasInserted) {
  auto const job = rows().stored(every_field_set());
  EXPECT_EQ(rows().read(job.seq), job);
}

TEST_P(RowMapping, AJobWithEveryOptionalFieldAbsentReadsBackAsItWasInserted) {
  core::Job job;
  job.id = "j_plain";
  job.type = "t";
  job = rows().stored(job);
  EXPECT_EQ(rows().read(job.seq), job);
}

TEST_P(RowMapping, AnUpdateWritesWhatATransitionMayChangeAndLeavesTheRest) {
  auto const before = rows().stored(every_field_set());
  auto const after = every_rewritten_field_changed(before);
  rows().update(every_fixed_field_changed(after));
  EXPECT_EQ(rows().read(before.seq), after);
}

}  // namespace
}  // namespace corral::test
