// The embedded backend's row mapping, generated from queue::job_columns(): every column of the
// schema is in the table, and every field of a job comes back from its row as it went in.
#include "queue/sqlite/job_store.hpp"

#include "queue/job_columns.hpp"
#include "queue/job_fixtures.hpp"
#include "queue/queue_printers.hpp"
#include "queue/sqlite/migrate.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace corral::sqlite {
namespace {

using test::every_field_set;

class JobStoreRows : public ::testing::Test {
 protected:
  JobStoreRows() : db_(Database::open((dir_ / "corral.db").string(), Database::Mode::read_write).value()) {
    migrate(db_).value();
    store_.emplace(db_);
  }

  core::Job stored(core::Job job) {
    job.seq = store_->job_insert(job).value();
    return job;
  }
  core::Job read(std::int64_t seq) {
    auto job = store_->job_get_by_seq(seq).value();
    if (!job) throw std::runtime_error("no job " + std::to_string(seq));
    return *job;
  }

  test::TempDir dir_;
  Database db_;
  std::optional<JobStore> store_;
};

TEST_F(JobStoreRows, TheColumnTableListsEveryColumnOfTheSchemaInOrder) {
  std::vector<std::string> schema, table;
  auto st = db_.prepare("SELECT name FROM pragma_table_info('jobs') ORDER BY cid");
  while (st.step().value()) schema.push_back(st.text(0));
  for (auto const& c : queue::job_columns()) table.emplace_back(c.name);
  EXPECT_EQ(table, schema);
}

TEST_F(JobStoreRows, AJobWithEveryFieldSetReadsBackAsItWasInserted) {
  auto const job = stored(every_field_set());
  EXPECT_EQ(read(job.seq), job);
  EXPECT_EQ(store_->job_get(job.id).value(), job);
  EXPECT_EQ(store_->job_get_by_key(*job.idempotency_key).value(), job);
}

TEST_F(JobStoreRows, AJobWithEveryOptionalFieldAbsentReadsBackAsItWasInserted) {
  core::Job job;
  job.id = "j_plain";
  job.type = "t";
  job = stored(job);
  EXPECT_EQ(read(job.seq), job);
}

TEST_F(JobStoreRows, AnUpdateWritesWhatATransitionMayChangeAndLeavesTheRest) {
  auto const before = stored(every_field_set());
  auto const after = test::every_rewritten_field_changed(before);
  ASSERT_TRUE(store_->job_update(test::every_fixed_field_changed(after)));
  EXPECT_EQ(read(before.seq), after);
}

TEST_F(JobStoreRows, ListsReadTheSameRows) {
  auto const job = stored(every_field_set());
  auto const jobs = store_->job_list(queue::ListQuery{.limit = 10}).value();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs.front(), job);
}

}  // namespace
}  // namespace corral::sqlite
