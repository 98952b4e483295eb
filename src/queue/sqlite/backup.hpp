// A consistent copy of an embedded database, taken while its server runs: `corral backup`.
//
// SQLite's online backup API copies every page of the database in one read transaction
// (sqlite3_backup_step(-1)), so the copy is the database as of one commit: every change
// acknowledged before the backup began is in it, none half-made. In WAL mode a read needs no
// cooperation from the writer, so the copy is read by the process that asks for it, through a
// read-only connection of its own. Rejected: an API call that has the server copy the file,
// which needs the same read plus a new way for any HTTP client to make the server write a file
// wherever it names (the server's flock on PATH.lock keeps out a second server, not readers).
//
// The copy is written to DEST.partial, fsynced, renamed to DEST and the directory fsynced, so
// DEST is absent or whole, never torn. An existing DEST is refused, never overwritten.
//
// While the copy runs the server's WAL cannot be truncated (the copy holds an old snapshot), so
// it may grow past wal_max_bytes until the copy ends; docs/operations.md says so.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <string>

namespace corral::sqlite {

struct BackupCopy {
  std::uint64_t bytes = 0;   // size of the copy
  int schema_version = 0;    // its PRAGMA user_version
};

// Copies the database at `db_path` to `dest_path`. invalid_argument if `db_path` holds no
// database or `dest_path` exists; storage_unavailable if reading or writing fails.
core::Result<BackupCopy> backup_database(std::string const& db_path, std::string const& dest_path);

}  // namespace corral::sqlite
