// The row mapping tests every backend runs (row_mapping.hpp).
#include "queue/row_mapping.hpp"

#include "core/job_state.hpp"
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

// Rows written before the rules changed (an ended job kept cancel_requested, a completed one its
// last error) read as the rules say once migrated; what the rules keep stays. The old rows are
// written through today's row mapping, which those schema versions share.
TEST_P(RowMapping, RowsOfEndedJobsWrittenBeforeTheRulesChangedFollowThemOnceMigrated) {
  auto old = GetParam().open(GetParam().before_ended_job_rules);
  auto with_cancel_requested = [&](core::JobState status) {
    core::Job job = every_field_set();
    job.id = "j_" + std::string(core::to_string(status));
    job.idempotency_key = job.id;
    job.status = status;
    job.cancel_requested = true;
    return old->stored(job);
  };
  auto const completed = with_cancel_requested(core::JobState::completed);
  auto const failed = with_cancel_requested(core::JobState::failed);
  auto const cancelled = with_cancel_requested(core::JobState::cancelled);
  auto const running = with_cancel_requested(core::JobState::running);
  ASSERT_TRUE(completed.error && !completed.attempts.front().error->message.empty());

  old->migrate(GetParam().before_ended_job_rules + 1);

  auto expected = completed;
  expected.cancel_requested = false;
  expected.error.reset();
  EXPECT_EQ(old->read(completed.seq), expected) << "the attempts keep their errors";
  expected = failed;
  expected.cancel_requested = false;
  EXPECT_EQ(old->read(failed.seq), expected) << "a failed job keeps the error it failed with";
  expected = cancelled;
  expected.cancel_requested = false;
  EXPECT_EQ(old->read(cancelled.seq), expected);
  EXPECT_EQ(old->read(running.seq), running) << "a running job's request to cancel is still pending";
}

}  // namespace
}  // namespace corral::test
