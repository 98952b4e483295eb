// What the PostgreSQL plan tests share: a fresh, migrated database with queued jobs in it, and the
// plan PostgreSQL prints for a statement.
#pragma once

#include "queue/postgres/connection.hpp"
#include "queue/postgres/migrate.hpp"
#include "queue/row_mapping.hpp"
#include "support/postgres_db.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace corral::test {

// A new database on the test cluster, migrated to the newest schema, or to `version`.
inline std::unique_ptr<postgres::Connection> pg_migrated_database(std::string const& prefix,
                                                                  std::optional<int> version = std::nullopt) {
  auto conn = postgres::Connection::open(pg_fresh_database(prefix), 10'000);
  if (!conn) throw std::runtime_error(conn.error().error.message);
  if (auto r = postgres::migrate(**conn, migrations_up_to(postgres::kMigrations, version)); !r) {
    throw std::runtime_error(r.error().message);
  }
  return std::move(*conn);
}

// Inserts `jobs` queued jobs of queue 'q' (ids j1, j2, ...; seqs from 1), their priority and
// payload the SQL expressions of n given, then analyzes the table: real statistics.
inline void pg_insert_queued_jobs(postgres::Connection& conn, int jobs, std::string const& priority_sql,
                               std::string const& payload_sql) {
  auto r = conn.exec(
      "INSERT INTO corral_jobs (id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s,"
      " backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload, attempts,"
      " cancel_requested, created_at, updated_at)"
      " SELECT 'j' || n, 't', 'q', 'queued', " + priority_sql + ", 0, 3, 0, 30, 1, 2, 60, 0.1, true, " + payload_sql +
      ", '[]', false, 0, 0 FROM generate_series(1, " + std::to_string(jobs) + ") AS n");
  if (!r) throw std::runtime_error(r.error().error.message);
  if (auto a = conn.exec("ANALYZE corral_jobs"); !a) throw std::runtime_error(a.error().error.message);
}

// EXPLAIN's lines for `sql` (a statement, or EXECUTE of a prepared one), one per line.
inline std::string pg_plan_of(postgres::Connection& conn, std::string const& sql,
                              std::vector<postgres::Param> const& params = {}) {
  auto rows = conn.query("EXPLAIN " + sql, params);
  if (!rows) throw std::runtime_error(rows.error().error.message);
  std::string plan;
  for (int i = 0; i < rows->size(); ++i) plan += std::string(rows->text(i, 0)) + "\n";
  return plan;
}

}  // namespace corral::test
