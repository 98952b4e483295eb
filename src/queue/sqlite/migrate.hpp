// Brings a database to the newest schema version with the embedded migrations, each in its own
// transaction, recording the version in PRAGMA user_version. Refuses a database written by a newer
// Corral (a version it does not know) rather than guess.
#pragma once

#include "core/error.hpp"
#include "queue/migration.hpp"
#include "queue/sqlite/database.hpp"

#include <vector>

namespace corral::sqlite {

extern const std::vector<queue::Migration> kMigrations;

core::Result<void> migrate(Database& db, std::vector<queue::Migration> const& migrations = kMigrations);

}  // namespace corral::sqlite
