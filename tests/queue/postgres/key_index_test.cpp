// The unique index of idempotency keys holds the jobs that have one (migration 017): an enqueue or
// an update of a job without a key writes nothing into it, a lookup by key still reads it, and a
// key stays unique per owner, on a new database and on one migrated from version 16.
#include "queue/postgres/batch.hpp"
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/plan_support.hpp"

#include <gtest/gtest.h>

namespace corral::postgres {
namespace {

constexpr int kKeylessJobs = 5'000;

std::int64_t scalar(Connection& conn, std::string const& sql) {
  auto rows = conn.query(sql, {});
  if (!rows || rows->size() != 1) throw std::runtime_error("no value for " + sql);
  return rows->int64(0, 0);
}

// Inserts a job through the server's own INSERT; whether a row came back (false: its key was taken).
bool insert(Connection& conn, std::string const& id, std::optional<std::string> key,
            std::optional<std::string> owner = std::nullopt) {
  core::Job job;
  job.id = id;
  job.type = "t";
  job.queue = "q";
  job.idempotency_key = std::move(key);
  job.owner = std::move(owner);
  auto rows = conn.query(insert_jobs_sql(), {insert_records({&job})});
  if (!rows) throw std::runtime_error(rows.error().error.message);
  return rows->size() == 1;
}

void expect_keys_unique_per_owner(Connection& conn) {
  EXPECT_TRUE(insert(conn, "k-new", "order-7"));
  EXPECT_FALSE(insert(conn, "k-again", "order-7")) << "the key is taken: the insert does nothing";
  EXPECT_TRUE(insert(conn, "k-other-owner", "order-7", "acme")) << "another owner's key is its own";
  EXPECT_TRUE(insert(conn, "no-key-1", std::nullopt));
  EXPECT_TRUE(insert(conn, "no-key-2", std::nullopt)) << "jobs without a key never conflict";
}

TEST(KeyIndex, HoldsOnlyTheJobsWithAKeyAndALookupByKeyReadsIt) {
  auto conn = test::pg_migrated_database("corral_key_index");
  test::pg_insert_queued_jobs(*conn, kKeylessJobs, "0", "'{}'");
  ASSERT_TRUE(conn->exec("UPDATE corral_jobs SET idempotency_key = 'key-' || seq WHERE seq % 100 = 0"));
  ASSERT_TRUE(conn->exec("UPDATE corral_jobs SET status = 'running' WHERE seq % 2 = 1"));   // as claims do
  ASSERT_TRUE(conn->exec("ANALYZE corral_jobs"));

  // 50 entries: the index's root page and its metapage. Over every job it took a page for each
  // few hundred jobs, and grew with each update.
  EXPECT_LE(scalar(*conn, "SELECT pg_relation_size('corral_jobs_by_idempotency_key')"), 2 * 8192);

  auto const plan = test::pg_plan_of(*conn, jobs_by_key_sql(), {std::string(R"(["key-100", "key-4200"])")});
  EXPECT_NE(plan.find("corral_jobs_by_idempotency_key"), std::string::npos) << plan;
  auto rows = conn->query(jobs_by_key_sql(), {std::string(R"(["key-100", "key-4200", "key-7"])")});
  ASSERT_TRUE(rows) << rows.error().error.message;
  EXPECT_EQ(rows->size(), 2);

  expect_keys_unique_per_owner(*conn);
}

TEST(KeyIndex, ADatabaseOfVersion16KeepsItsKeysUniqueAfterTheMigration) {
  auto conn = test::pg_migrated_database("corral_key_index_v16", 16);
  ASSERT_TRUE(conn->exec(
      "INSERT INTO corral_jobs (id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s,"
      " backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, attempts,"
      " cancel_requested, created_at, updated_at, idempotency_key)"
      " VALUES ('old-keyed', 't', 'q', 'queued', 0, 0, 3, 0, 30, 1, 2, 60, 0.1, true, '{}', '[]', false, 0, 0, 'order-7'),"
      " ('old-plain', 't', 'q', 'queued', 0, 0, 3, 0, 30, 1, 2, 60, 0.1, true, '{}', '[]', false, 0, 0, NULL)"));

  auto const r = migrate(*conn);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(scalar(*conn, "SELECT count(*) FROM pg_indexes WHERE indexname = 'corral_jobs_by_idempotency_key'"
                          " AND indexdef LIKE '%UNIQUE%WHERE (idempotency_key IS NOT NULL)'"),
            1);
  EXPECT_FALSE(insert(*conn, "new-same-key", "order-7")) << "a key stored before the migration is still taken";
  EXPECT_EQ(scalar(*conn, "SELECT count(*) FROM corral_jobs"), 2);
  EXPECT_TRUE(insert(*conn, "k-other-owner", "order-7", "acme"));
  EXPECT_TRUE(insert(*conn, "no-key", std::nullopt));
}

}  // namespace
}  // namespace corral::postgres
