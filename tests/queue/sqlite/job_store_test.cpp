// The embedded backend's row mapping: the row mapping tests of every backend (row_mapping.hpp) on
// an SQLite file, and the other reads of a job row reading the same job.
#include "queue/sqlite/job_store.hpp"

#include "core/idempotency.hpp"
#include "queue/queue_printers.hpp"
#include "queue/row_mapping.hpp"
#include "queue/sqlite/migrate.hpp"
#include "support/job_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace corral::sqlite {
namespace {

using test::every_field_set;
using test::RowMapping;

class SqliteJobRows : public test::JobRows {
 public:
  explicit SqliteJobRows(std::optional<int> version = std::nullopt)
      : db_(Database::open((dir_ / "corral.db").string(), Database::Mode::read_write).value()) {
    sqlite::migrate(db_, test::migrations_up_to(kMigrations, version)).value();
    if (version && *version < 4) {
      db_.exec("ALTER TABLE jobs ADD COLUMN trace_id TEXT; CREATE TABLE event_seq (id INTEGER PRIMARY KEY, last INTEGER)")
          .value();
    }
    if (version && *version < 5) {
      db_.exec("ALTER TABLE jobs ADD COLUMN stages TEXT; ALTER TABLE jobs ADD COLUMN estimate_first_at INTEGER; "
               "ALTER TABLE jobs ADD COLUMN estimate_first_fraction REAL; ALTER TABLE jobs ADD COLUMN estimate_done_at INTEGER")
          .value();
    }
    if (version && *version < 8) {
      db_.exec("ALTER TABLE jobs ADD COLUMN callback_url TEXT; ALTER TABLE jobs ADD COLUMN webhook_delivery_id TEXT; "
               "ALTER TABLE jobs ADD COLUMN webhook_state TEXT; ALTER TABLE jobs ADD COLUMN webhook_attempts INTEGER; "
               "ALTER TABLE jobs ADD COLUMN webhook_last_error TEXT; "
               "ALTER TABLE jobs ADD COLUMN webhook_last_attempt_at INTEGER; "
               "ALTER TABLE jobs ADD COLUMN webhook_delivered_at INTEGER")
          .value();
    }
    if (version && *version < 10) {
      db_.exec("ALTER TABLE jobs ADD COLUMN schedule TEXT; ALTER TABLE jobs ADD COLUMN scheduled_for INTEGER").value();
    }
    if (version && *version < 11) {
      db_.exec("ALTER TABLE jobs ADD COLUMN concurrency_key TEXT; ALTER TABLE jobs ADD COLUMN start_by INTEGER").value();
    }
    if (version && *version < 13) {
      db_.exec("ALTER TABLE jobs RENAME COLUMN idempotency_key TO idempotency_key_v12; "
               "ALTER TABLE jobs ADD COLUMN idempotency_key TEXT; "
               "CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key, coalesce(owner, '')) "
               "WHERE idempotency_key IS NOT NULL")
          .value();
    }
    if (version && *version < 15) {
      db_.exec("ALTER TABLE jobs ADD COLUMN depends_on TEXT; ALTER TABLE jobs ADD COLUMN on_parent_failure TEXT; "
               "ALTER TABLE jobs ADD COLUMN parents_left INTEGER NOT NULL DEFAULT 0; "
               "ALTER TABLE jobs ADD COLUMN parents TEXT; ALTER TABLE jobs ADD COLUMN batch_id TEXT")
          .value();
    }
    if (version && *version < 17) {
      db_.exec("CREATE TABLE seq_floor (id INTEGER PRIMARY KEY, last INTEGER NOT NULL); "
               "INSERT INTO seq_floor (id, last) VALUES (1, 0)")
          .value();
    }
    store_.emplace(db_);
  }

  core::Job stored(core::Job job) override {
    job.seq = store_->job_insert(job).value();
    return job;
  }
  core::Job read(std::int64_t seq) override {
    auto job = store_->job_get_by_seq(seq).value();
    if (!job) throw std::runtime_error("no job " + std::to_string(seq));
    return *job;
  }
  void update(core::Job const& job) override { store_->job_update(job).value(); }
  std::vector<std::string> schema_columns() override {
    std::vector<std::string> schema;
    auto st = db_.prepare("SELECT name FROM pragma_table_info('jobs') ORDER BY cid");
    while (st.step().value()) schema.push_back(st.text(0));
    return schema;
  }
  void migrate(std::optional<int> version) override {
    sqlite::migrate(db_, test::migrations_up_to(kMigrations, version)).value();
  }

  JobStore& store() { return *store_; }

 private:
  test::TempDir dir_;
  Database db_;
  std::optional<JobStore> store_;
};

INSTANTIATE_TEST_SUITE_P(Sqlite, RowMapping,
                         ::testing::Values(test::JobRowsBackend{
                             "sqlite", [](std::optional<int> v) { return std::make_unique<SqliteJobRows>(v); }, 2}),
                         [](auto const& info) { return info.param.name; });

// A job with every field set but an idempotency key, so that one can be inserted again and again.
core::Job keyless_job(std::string id) {
  auto job = every_field_set();
  job.idempotency_key.reset();
  job.id = std::move(id);
  return job;
}

// A seq is never given twice, even after the newest job is deleted (migration 017's seq_floor,
// where AUTOINCREMENT kept a counter): its seq stays taken, also after the file is opened again.
TEST(JobStoreRows, TheSeqOfADeletedNewestJobIsNotGivenAgain) {
  test::TempDir dir;
  auto const path = (dir / "corral.db").string();
  std::int64_t deleted = 0;
  {
    auto db = Database::open(path, Database::Mode::read_write).value();
    sqlite::migrate(db).value();
    JobStore store(db);
    auto job = keyless_job("j_first");
    auto const first = store.job_insert(job).value();
    job.id = "j_second";
    deleted = store.job_insert(job).value();
    EXPECT_GT(deleted, first);
    store.job_delete(deleted).value();
    job.id = "j_third";
    EXPECT_EQ(store.job_insert(job).value(), deleted + 1);
    store.job_delete(deleted + 1).value();
    store.job_delete(first).value();
  }
  auto db = Database::open(path, Database::Mode::read_write).value();
  JobStore store(db);
  EXPECT_EQ(store.job_insert(keyless_job("j_after_reopen")).value(), deleted + 2) << "the table is empty, and no seq is given again";
}

// The store counts seqs itself after its first insert: after an insert that fails or is rolled
// back, the next one still takes a seq no row has, and reads back as its own.
TEST(JobStoreRows, AnInsertThatFailsOrIsRolledBackLeavesTheNextSeqFree) {
  test::TempDir dir;
  auto db = Database::open((dir / "corral.db").string(), Database::Mode::read_write).value();
  sqlite::migrate(db).value();
  JobStore store(db);
  auto job = keyless_job("j_kept");
  auto const kept = store.job_insert(job).value();

  EXPECT_FALSE(store.job_insert(job)) << "a second job with the same id is refused";
  db.exec("BEGIN").value();
  job.id = "j_rolled_back";
  EXPECT_GT(store.job_insert(job).value(), kept);
  db.exec("ROLLBACK").value();
  EXPECT_FALSE(store.job_get("j_rolled_back").value());

  job.id = "j_next";
  auto const next = store.job_insert(job).value();
  EXPECT_GT(next, kept);
  auto const read = store.job_get_by_seq(next).value();
  ASSERT_TRUE(read);
  EXPECT_EQ(read->id, "j_next");
}

TEST(JobStoreRows, ReadsByIdByKeyAndListsReadTheSameJob) {
  SqliteJobRows rows;
  auto const job = rows.stored(every_field_set());
  EXPECT_EQ(rows.store().job_get(job.id).value(), job);
  EXPECT_EQ(rows.store().job_get_by_key(*core::idempotency_key_of(job)).value(), job);
  auto const jobs = rows.store().job_list(queue::ListQuery{.limit = 10}).value();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs.front(), job);
}

}  // namespace
}  // namespace corral::sqlite
