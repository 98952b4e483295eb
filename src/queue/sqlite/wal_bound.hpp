// Keeps the WAL file under a size bound, on the writer's connection, after each commit.
//
// SQLite's automatic checkpoint (PASSIVE, every 1000 pages, inside COMMIT) copies WAL frames
// into the database but can restart the WAL from its beginning only when no reader still uses
// it. Readers that always overlap (a steady stream of GETs and lists) each hold a snapshot, so
// the WAL is never restarted and grows without end: checkpoint starvation. So once the file
// reaches half the bound, the writer runs a TRUNCATE checkpoint: it copies every frame, waits
// (busy timeout) for the readers of old snapshots to finish, new readers meanwhile reading from
// the database file, then cuts the WAL to zero bytes. Between two commits the file grows by at
// most one batch, so it stays under the bound plus one batch's frames. If readers outlast the
// wait, the next commit tries again.
//
// Not thread-safe (the writer thread's), except wal_bytes().
#pragma once

#include "core/error.hpp"
#include "queue/sqlite/database.hpp"

#include <cstdint>
#include <string>

namespace corral::sqlite {

class WalBound {
 public:
  // `max_bytes` 0: no bound beyond SQLite's automatic checkpoints.
  WalBound(Database& db, std::string const& db_path, std::uint64_t max_bytes)
      : db_(db), wal_path_(db_path + "-wal"), max_bytes_(max_bytes) {}

  // After a commit. An error is a storage failure of the checkpoint (not a busy reader).
  core::Result<void> after_commit();
  // The WAL file's size now (0 if there is none). Thread-safe: it only looks at the file.
  std::uint64_t wal_bytes() const;

 private:
  Database& db_;
  std::string wal_path_;
  std::uint64_t max_bytes_;
};

}  // namespace corral::sqlite
