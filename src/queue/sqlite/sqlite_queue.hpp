// The embedded backend: QueueService over one SQLite file owned by this process.
//
// Writes go through the GroupWriter (one thread, group commit) into the Engine; reads (get, list)
// use a pool of read-only connections, so a long list never delays a commit. Long-polls park in
// Waiters and are woken by the Engine after the commit that made work ready.
#pragma once

#include "queue/queue_service.hpp"
#include "queue/waiters.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace corral::sqlite {

struct SqliteOptions {
  std::string path;                 // the database file; its directory is created if missing
  core::JobTypeTable job_types;
  queue::Retention retention;       // ended jobs are deleted this long after they ended; 0 keeps them
  std::string vfs;                   // empty: SQLite's default VFS (tests inject faults through their own)
  std::string synchronous = "FULL";  // anything weaker breaks "a 2xx reply means the change is on disk"
  std::uint64_t disk_reserve_bytes = 4u << 20;  // kept free for reports on a full disk (DiskReserve); 0: none
  std::uint64_t wal_max_bytes = 64u << 20;      // the WAL is truncated before it passes this (WalBound); 0: no bound
  queue::EventWindow event_window;               // the recent events kept for streams to resume from
  queue::DeliveryBody delivery_body;             // a webhook's body (queue/outbox.hpp)
  bool commit_on_caller = false;                  // an idle writer's op commits on its caller's thread (GroupWriter)
};

// Opens (creating and migrating if needed) and recovers the database. Fails with a clear message
// if another server holds the file, the file is not a Corral database, or it is truncated or
// corrupt (file_check.hpp); it never writes to such a file.
core::Result<std::unique_ptr<queue::QueueService>> open_sqlite_queue(SqliteOptions options);

}  // namespace corral::sqlite
