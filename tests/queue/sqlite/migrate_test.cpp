#include "queue/sqlite/migrate.hpp"

#include "queue/open/open_queue.hpp"
#include "queue/queue_harness.hpp"
#include "queue/queue_printers.hpp"
#include "support/has_substr.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

namespace corral::sqlite {
namespace {

int newest_version() { return kMigrations.back().version; }

Database open_db(std::string const& path) { return Database::open(path, Database::Mode::read_write).value(); }

std::int64_t single_int(Database& db, std::string const& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st.step().value());
  return st.int64(0);
}

std::vector<queue::Migration> migrations_up_to(int version) {
  std::vector<queue::Migration> out;
  for (auto const& m : kMigrations) {
    if (m.version <= version) out.push_back(m);
  }
  return out;
}

std::string single_text(Database& db, std::string const& sql) {
  auto st = db.prepare(sql);
  EXPECT_TRUE(st.step().value());
  return st.is_null(0) ? std::string("NULL") : std::string(st.text(0));
}

std::int64_t user_version(Database& db) { return single_int(db, "PRAGMA user_version"); }
std::int64_t schema_objects(Database& db) { return single_int(db, "SELECT count(*) FROM sqlite_master"); }

void write_bytes(std::string const& path, std::string const& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class Migrate : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string const path_ = (dir_ / "corral.db").string();
};

// Numbers increase, each used once. A number may be missing while the change that takes it is
// still on its way (numbers are handed out to changes made side by side); migrate() applies what
// is newer than the database, so the order is what matters.
TEST_F(Migrate, MigrationsAreNumberedInOrder) {
  ASSERT_FALSE(kMigrations.empty());
  EXPECT_EQ(kMigrations.front().version, 1) << kMigrations.front().name;
  for (std::size_t i = 1; i < kMigrations.size(); ++i) {
    EXPECT_GT(kMigrations[i].version, kMigrations[i - 1].version) << kMigrations[i].name;
  }
}

TEST_F(Migrate, FreshDatabaseMigratesToTheNewestVersion) {
  auto db = open_db(path_);
  ASSERT_EQ(user_version(db), 0);

  auto const r = migrate(db);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(user_version(db), newest_version());
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'jobs'"), 1);
}

TEST_F(Migrate, MigratingTwiceIsANoOp) {
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db));
  ASSERT_TRUE(db.exec("INSERT INTO queues (name, paused) VALUES ('mail', 1)"));
  auto const objects = schema_objects(db);

  auto const again = migrate(db);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(user_version(db), newest_version());
  EXPECT_EQ(schema_objects(db), objects);
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM queues"), 1) << "data is kept";
}

// Version 2 drops the partial index jobs_active; recovery's query must still seek, not scan.
TEST_F(Migrate, AVersionOneDatabaseLosesJobsActiveAndRecoveryStillUsesAnIndex) {
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db, {kMigrations.front()}));
  ASSERT_EQ(single_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'jobs_active'"), 1);

  auto const r = migrate(db);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'jobs_active'"), 0);

  auto plan = db.prepare(
      "EXPLAIN QUERY PLAN SELECT seq, queue, priority, status, run_at, lease_expires_at FROM jobs "
      "WHERE status IN ('queued', 'scheduled', 'running', 'retrying')");
  std::string details;
  while (plan.step().value()) details += plan.text(3) + "\n";
  EXPECT_TRUE(test::has_substr(details, "USING INDEX jobs_by_status")) << details;
}

// Version 13 scopes idempotency keys per owner: the keys of jobs stored before move to the new
// column, the by-key lookup uses the new index, and only the same key with the same owner collides.
TEST_F(Migrate, IdempotencyKeysStoredBeforeVersion13AreKeptPerOwner) {
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db, migrations_up_to(12)));
  auto insert = [&db](std::string const& id, std::string const& owner, std::string const& key) {
    return db.exec("INSERT INTO jobs (id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s, "
                   "backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, "
                   "attempts, owner, idempotency_key, cancel_requested, created_at, updated_at) VALUES ('" +
                   id + "', 't', 'default', 'queued', 0, 0, 3, 0, 30, 1, 2, 60, 0.1, 1, '{}', '[]', " + owner + ", '" +
                   key + "', 0, 0, 0)");
  };
  ASSERT_TRUE(insert("j_unowned", "NULL", "order-1"));
  ASSERT_TRUE(insert("j_acme", "'acme'", "order-2"));

  ASSERT_TRUE(migrate(db, migrations_up_to(13)));
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM jobs WHERE idempotency_key_v12 IS NOT NULL"), 0);
  auto const r = migrate(db);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM jobs WHERE id = 'j_unowned' AND idempotency_key = 'order-1'"), 1);
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM jobs WHERE id = 'j_acme' AND idempotency_key = 'order-2'"), 1);

  EXPECT_TRUE(insert("j_globex", "'globex'", "order-2")) << "another owner's key is its own";
  EXPECT_TRUE(insert("j_acme_1", "'acme'", "order-1"));
  EXPECT_FALSE(insert("j_acme_again", "'acme'", "order-2")) << "the same owner's key collides";
  EXPECT_FALSE(insert("j_unowned_again", "NULL", "order-1")) << "jobs with no owner share one scope";

  auto plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE idempotency_key = 'order-2' AND "
                         "coalesce(owner, '') = 'acme'");
  std::string details;
  while (plan.step().value()) details += plan.text(3) + "\n";
  EXPECT_TRUE(test::has_substr(details, "jobs_by_idempotency_key")) << details;
}

// Version 17 copies the job table to drop AUTOINCREMENT and the emptied idempotency_key_v12 (and
// its UNIQUE index), which cost two page writes on every enqueue. On a version 16 database of a
// million jobs, every row is kept as it was (its seq too), the indexes are rebuilt, and the server
// reads, fetches and enqueues on the result.
TEST_F(Migrate, AMillionJobsOfVersion16AreCopiedWholeIntoTheTableOfVersion17) {
  constexpr int kJobs = 1'000'000;
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db, migrations_up_to(16)));
  // Every tenth job queued, the others completed; some owned, some with an idempotency key, some
  // of a batch; seqs with gaps (every job whose number is a multiple of 1,000 deleted).
  auto const now = std::to_string(core::to_unix_micros(std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now())));
  ASSERT_TRUE(db.exec(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + std::to_string(kJobs) +
      ") INSERT INTO jobs (id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s, "
      "backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, attempts, owner, "
      "idempotency_key, cancel_requested, created_at, updated_at, started_at, completed_at, batch_id, result) "
      "SELECT printf('j_%08d', i), CASE i % 4 WHEN 0 THEN 'report' ELSE 'email' END, "
      "CASE i % 3 WHEN 0 THEN 'bulk' ELSE 'default' END, CASE i % 10 WHEN 0 THEN 'queued' ELSE 'completed' END, "
      "i % 5, CASE i % 10 WHEN 0 THEN 0 ELSE 1 END, 3, " + now + ", 30, 1, 2, 60, 0.1, 1, "
      "'{\"n\":' || i || '}', '[]', CASE i % 7 WHEN 0 THEN 'acme' END, "
      "CASE i % 11 WHEN 0 THEN 'key-' || i END, 0, " + now + ", " + now + " + i, "
      "CASE i % 10 WHEN 0 THEN NULL ELSE " + now + " END, CASE i % 10 WHEN 0 THEN NULL ELSE " + now + " + i END, "
      "CASE i % 13 WHEN 0 THEN 'b_' || (i / 1000) END, CASE i % 10 WHEN 0 THEN NULL ELSE '{\"ok\":true}' END "
      "FROM n"));
  ASSERT_TRUE(db.exec("DELETE FROM jobs WHERE seq % 1000 = 0"));
  // A digest of every column a field reads, row by row, to compare after.
  std::string const digest_sql =
      "SELECT count(*) || ' ' || sum(seq) || ' ' || "
      "sum(length(id || type || queue || status || payload || coalesce(owner, '') || coalesce(idempotency_key, '') "
      "|| coalesce(batch_id, '') || coalesce(result, '') || attempts)) || ' ' || "
      "sum(seq * (priority + 1) + attempt + (updated_at - created_at) + coalesce(completed_at, 0) % 1000) "
      "FROM jobs";
  auto const before = single_text(db, digest_sql);
  auto const sample_before = single_text(db, "SELECT id || status || payload || updated_at FROM jobs WHERE seq = 777777");
  auto const largest_seq = single_int(db, "SELECT max(seq) FROM jobs");

  auto const r = migrate(db);
  ASSERT_TRUE(r) << r.error().message;

  EXPECT_EQ(user_version(db), 17);
  EXPECT_EQ(single_text(db, digest_sql), before);
  EXPECT_EQ(single_text(db, "SELECT id || status || payload || updated_at FROM jobs WHERE seq = 777777"), sample_before);
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'idempotency_key_v12'"), 0);
  EXPECT_FALSE(test::has_substr(single_text(db, "SELECT sql FROM sqlite_master WHERE name = 'jobs'"), "AUTOINCREMENT"));
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM sqlite_sequence WHERE name = 'jobs'"), 0);
  EXPECT_EQ(single_int(db, "SELECT last FROM seq_floor"), kJobs) << "the newest job was deleted: its seq stays taken";
  EXPECT_EQ(single_text(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index' "
                            "AND tbl_name = 'jobs' ORDER BY name)"),
            "jobs_by_batch jobs_by_idempotency_key jobs_by_owner jobs_by_queue jobs_by_status jobs_by_type "
            "jobs_by_updated sqlite_autoindex_jobs_1");
  EXPECT_EQ(single_text(db, "PRAGMA integrity_check"), "ok");
  db = Database();

  // The server opens it: a job reads as it was, a queued one is fetched, a new one follows the rest.
  // The loop is declared first so that it outlives the service: the writer thread's last post to
  // the loop ends only when the service joins it.
  test::Loop loop;
  auto opened = queue::open_queue("sqlite:" + path_, {});
  ASSERT_TRUE(opened) << opened.error().message;
  auto& svc = **opened;
  auto const kept = loop.run(svc.get("j_00000011", {}));
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->status, core::JobState::completed);
  EXPECT_EQ(kept->payload, "{\"n\":11}");
  EXPECT_EQ(kept->idempotency_key, "key-11");
  auto const fetched = loop.run(svc.fetch(test::fetch_request({"default", "bulk"})));
  ASSERT_TRUE(fetched) << fetched.error().message;
  ASSERT_EQ(fetched->size(), 1u);
  EXPECT_EQ(fetched->front().status, core::JobState::running);
  auto const added = loop.run(svc.enqueue(test::job_request()));
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(largest_seq, kJobs - 1);
  EXPECT_EQ(added->job.seq, kJobs + 1) << "after every seq given before, the deleted newest one's too";
}

TEST_F(Migrate, OnlyMigrationsNewerThanTheDatabaseRun) {
  std::vector<queue::Migration> const steps = {
      {1, "001_a.sql", "CREATE TABLE a (x INTEGER);"},
      {2, "002_b.sql", "CREATE TABLE b (x INTEGER);"},
  };
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db, {steps[0]}));
  EXPECT_EQ(user_version(db), 1);

  auto const r = migrate(db, steps);   // would fail on a second CREATE TABLE a
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(user_version(db), 2);
}

TEST_F(Migrate, AFailedMigrationLeavesTheDatabaseAtTheLastGoodVersion) {
  std::vector<queue::Migration> const steps = {
      {1, "001_a.sql", "CREATE TABLE a (x INTEGER);"},
      {2, "002_broken.sql", "CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER);"},
  };
  auto db = open_db(path_);
  auto const r = migrate(db, steps);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::storage_unavailable);
  EXPECT_EQ(user_version(db), 1);
  EXPECT_EQ(single_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'b'"), 0) << "rolled back whole";
}

TEST_F(Migrate, DatabaseFromANewerCorralIsRefused) {
  auto db = open_db(path_);
  ASSERT_TRUE(migrate(db));
  int const future = newest_version() + 1;
  ASSERT_TRUE(db.exec("PRAGMA user_version = " + std::to_string(future)));

  auto const r = migrate(db);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::storage_unavailable);
  EXPECT_TRUE(test::has_substr(r.error().message, "newer"));
  EXPECT_TRUE(test::has_substr(r.error().message, std::to_string(future)));
  EXPECT_EQ(user_version(db), future) << "the database is left alone";

  db = Database();
  auto const opened = queue::open_queue("sqlite:" + path_, {});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::Errc::storage_unavailable);
  EXPECT_TRUE(test::has_substr(opened.error().message, "newer"));
}

// A file that is not SQLite at all (a wrong --db path) is an error value, not a crash.
TEST_F(Migrate, NonSqliteFileFailsWithStorageUnavailable) {
  write_bytes(path_, std::string(4096, 'x') + "this is not a database");

  auto db = Database::open(path_, Database::Mode::read_write);
  if (db) {
    core::Result<void> r = core::make_error(core::Errc::internal, "migrate did not return");
    EXPECT_NO_THROW(r = migrate(*db));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::Errc::storage_unavailable) << r.error().message;
  } else {
    EXPECT_EQ(db.error().code, core::Errc::storage_unavailable) << db.error().message;
  }
}

TEST_F(Migrate, OpeningANonSqliteFileFailsWithStorageUnavailable) {
  write_bytes(path_, std::string(4096, 'x') + "this is not a database");

  core::Result<std::unique_ptr<queue::QueueService>> opened =
      core::make_error(core::Errc::internal, "open_queue did not return");
  EXPECT_NO_THROW(opened = queue::open_queue("sqlite:" + path_, {}));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, core::Errc::storage_unavailable) << opened.error().message;
}

}  // namespace
}  // namespace corral::sqlite
