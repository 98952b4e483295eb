// Picks the backend from the --db URL: "sqlite:PATH" (the default, embedded) or
// "postgres://..." / "postgresql://..." (shared by several nodes).
#pragma once

#include "core/enqueue_spec.hpp"
#include "queue/queue_service.hpp"
#include "queue/sqlite/backup.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace corral::queue {

struct OpenOptions {
  // Ended jobs are deleted this long after they ended; 0 (the default) keeps them for ever.
  Retention retention;
  // The shared backend's connections.
  int pool_size = 10;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds statement_timeout{30000};
  int batches = 1;   // write transactions at once (group commit)
  // The embedded backend's SQLite settings, which the server never changes: the fault tests open
  // it on a fault-injecting VFS, and weaken durability in their negative controls.
  std::string sqlite_vfs;                    // a VFS registered in this process; empty: SQLite's default
  std::string sqlite_synchronous = "FULL";   // FULL, or a weaker level (NORMAL, OFF) that loses commits
  // The embedded backend's disk settings (docs/reliability.md): the room kept for reports on a full
  // disk, and the size the WAL is kept under.
  std::uint64_t disk_reserve_bytes = 4u << 20;
  std::uint64_t wal_max_bytes = 64u << 20;
  // The embedded backend: an op that finds the writer idle commits on the thread that submitted
  // it, saving two thread handoffs (GroupWriter). Only for callers whose thread may block on a
  // commit while others serve: the server turns it on with two HTTP threads or more.
  bool sqlite_commit_on_caller = false;
  // The recent events kept for live streams to resume from.
  EventWindow event_window;
  // What a webhook carries: the job as the API shows it (outbox.hpp).
  DeliveryBody delivery_body;
  // The config file's [queues.NAME] limits, written at open over what the API set before; the
  // API's changes then hold until the next start.
  std::map<std::string, QueueUpdate> queue_settings;
};

// The file of a "sqlite:PATH" URL (an error if PATH is empty); nullopt for any other URL.
std::optional<core::Result<std::string>> sqlite_path(std::string const& db_url);

// `corral backup`: a consistent copy of the embedded database at `db_path`, taken while its
// server runs (queue/sqlite/backup.hpp). Here so that the command line, like the server, reaches
// a backend only through this part.
core::Result<sqlite::BackupCopy> backup_sqlite_database(std::string const& db_path, std::string const& dest_path);

core::Result<std::unique_ptr<QueueService>> open_queue(std::string const& db_url, core::JobTypeTable job_types,
                                                       OpenOptions options = {});

}  // namespace corral::queue
