// The shared backend's row mapping, generated from queue::job_columns(): every column of the
// schema is in the table, and every field of a job comes back from its row as it went in, through
// the statements the batches run.
#include "queue/postgres/job_rows.hpp"

#include "queue/job_columns.hpp"
#include "queue/job_fixtures.hpp"
#include "queue/postgres/migrate.hpp"
#include "queue/queue_printers.hpp"
#include "support/postgres_db.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

using test::every_field_set;

class JobRows : public ::testing::Test {
 protected:
  JobRows() : conn_(must(Connection::open(test::pg_fresh_database("corral_rows"), 10'000))) {
    if (auto r = migrate(*conn_); !r) throw std::runtime_error(r.error().message);
  }

  template <class T>
  static T must(DbResult<T> r) {
    if (!r) throw std::runtime_error(r.error().error.message);
    return std::move(*r);
  }

  core::Job stored(core::Job job) {
    auto rows = must(conn_->query(insert_jobs_sql(), {insert_records({&job})}));
    if (rows.size() != 1) throw std::runtime_error("the job was not inserted");
    job.seq = rows.int64(0, 1);
    return job;
  }
  core::Job read(std::int64_t seq) {
    auto rows = must(conn_->query("SELECT " + job_select_list() + " FROM corral_jobs j WHERE j.seq = $1",
                                  {std::to_string(seq)}));
    if (rows.size() != 1) throw std::runtime_error("no job " + std::to_string(seq));
    return read_job(rows, 0).value();
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(JobRows, TheColumnTableListsEveryColumnOfTheSchemaInOrder) {
  auto rows = must(conn_->query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'corral_jobs' ORDER BY ordinal_position",
      {}));
  std::vector<std::string> schema, table;
  for (int i = 0; i < rows.size(); ++i) schema.emplace_back(rows.text(i, 0));
  for (auto const& c : queue::job_columns()) table.emplace_back(c.name);
  EXPECT_EQ(table, schema);
}

TEST_F(JobRows, AJobWithEveryFieldSetReadsBackAsItWasInserted) {
  auto const job = stored(every_field_set());
  EXPECT_EQ(read(job.seq), job);
}

TEST_F(JobRows, AJobWithEveryOptionalFieldAbsentReadsBackAsItWasInserted) {
  core::Job job;
  job.id = "j_plain";
  job.type = "t";
  job = stored(job);
  EXPECT_EQ(read(job.seq), job);
}

TEST_F(JobRows, AnUpdateWritesWhatATransitionMayChangeAndLeavesTheRest) {
  auto const before = stored(every_field_set());
  auto const after = test::every_rewritten_field_changed(before);
  auto const sent = test::every_fixed_field_changed(after);
  must(conn_->query(update_jobs_sql(), {update_records({&sent})}));
  EXPECT_EQ(read(before.seq), after);
}

}  // namespace
}  // namespace corral::postgres
