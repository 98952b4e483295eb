// Brings a PostgreSQL database to the newest schema this binary embeds (migrations/NNN_*.sql).
// Safe when several nodes start at once: every node takes the same transaction-scoped advisory
// lock, so one applies the pending migrations and the others then find nothing to do.
#pragma once

#include "queue/migration.hpp"
#include "queue/postgres/connection.hpp"

#include <vector>

namespace corral::postgres {

extern const std::vector<queue::Migration> kMigrations;

// Fails with storage_unavailable if the database is newer than this binary knows.
core::Result<void> migrate(Connection& conn, std::vector<queue::Migration> const& migrations = kMigrations);

}  // namespace corral::postgres
