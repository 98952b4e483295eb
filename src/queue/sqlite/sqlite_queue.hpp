// The embedded backend: QueueService over one SQLite file owned by this process.
//
// Writes go through the GroupWriter (one thread, group commit) into the Engine; reads (get, list)
// use a pool of read-only connections, so a long list never delays a commit. Long-polls park in
// Waiters and are woken by the Engine after the commit that made work ready.
#pragma once

#include "queue/queue_service.hpp"
#include "queue/waiters.hpp"

#include <memory>
#include <string>

namespace corral::sqlite {

struct SqliteOptions {
  std::string path;                 // the database file; its directory is created if missing
  core::JobTypeTable job_types;
  core::Micros retention{0};        // finished jobs are deleted this long after they ended; 0 keeps them
  std::string vfs;                   // empty: SQLite's default VFS (tests inject faults through their own)
  std::string synchronous = "FULL";  // anything weaker breaks "a 2xx reply means the change is on disk"
};

// Opens (creating and migrating if needed) and recovers the database. Fails with a clear message
// if another server holds the file, the file is not a Corral database, or it is corrupt.
core::Result<std::unique_ptr<queue::QueueService>> open_sqlite_queue(SqliteOptions options);

}  // namespace corral::sqlite
