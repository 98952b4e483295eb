// The SQLite file's own check, after a fault, for the in-process fault tests and those that go
// through the server alike.
#pragma once

#include "queue/sqlite/database.hpp"

#include <filesystem>
#include <string>

namespace corral::test {

// PRAGMA integrity_check of the database file, through a read-only connection of its own: "ok",
// or what is wrong (or why it could not be opened).
inline std::string integrity_of(std::filesystem::path const& db_path) {
  auto db = sqlite::Database::open(db_path.string(), sqlite::Database::Mode::read_only);
  if (!db) return db.error().message;
  auto st = db->prepare("PRAGMA integrity_check");
  auto row = st.step();
  if (!row || !*row) return "integrity_check returned no row";
  return st.text(0);
}

}  // namespace corral::test
