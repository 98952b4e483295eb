#include "queue/open/open_queue.hpp"

#include "queue/postgres/postgres_queue.hpp"
#include "queue/queue_settings.hpp"
#include "queue/sqlite/sqlite_queue.hpp"

namespace corral::queue {
namespace {

core::Result<std::unique_ptr<QueueService>> with_settings(core::Result<std::unique_ptr<QueueService>> queue,
                                                          std::map<std::string, QueueUpdate> const& settings) {
  if (!queue) return queue;
  if (auto r = apply_queue_settings(**queue, settings); !r) return r.error();
  return queue;
}

}  // namespace

std::optional<core::Result<std::string>> sqlite_path(std::string const& db_url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (!db_url.starts_with(kSqlite)) return std::nullopt;
  std::string path = db_url.substr(kSqlite.size());
  // Accept sqlite:///abs/path and sqlite://rel as well as sqlite:PATH.
  if (path.starts_with("//")) path.erase(0, 2);
  if (path.empty()) return core::make_error(core::Errc::invalid_argument, "db: sqlite: needs a file path");
  return path;
}

core::Result<sqlite::BackupCopy> backup_sqlite_database(std::string const& db_path, std::string const& dest_path) {
  return sqlite::backup_database(db_path, dest_path);
}

core::Result<std::unique_ptr<QueueService>> open_queue(std::string const& db_url, core::JobTypeTable job_types,
                                                       OpenOptions shared) {
  if (auto path = sqlite_path(db_url)) {
    if (!*path) return path->error();
    return with_settings(sqlite::open_sqlite_queue({std::move(**path), std::move(job_types), shared.retention,
                                       std::move(shared.sqlite_vfs), std::move(shared.sqlite_synchronous),
                                       shared.disk_reserve_bytes, shared.wal_max_bytes, shared.event_window,
                                       std::move(shared.delivery_body), shared.sqlite_commit_on_caller}),
                         shared.queue_settings);
  }
  if (db_url.starts_with("postgres://") || db_url.starts_with("postgresql://")) {
    postgres::PostgresOptions options;
    options.url = db_url;
    options.job_types = std::move(job_types);
    options.pool_size = shared.pool_size;
    options.batches = shared.batches;
    options.acquire_timeout = shared.acquire_timeout;
    options.statement_timeout = shared.statement_timeout;
    options.retention = shared.retention;
    options.event_window = shared.event_window;
    options.delivery_body = std::move(shared.delivery_body);
    return with_settings(postgres::open_postgres_queue(std::move(options)), shared.queue_settings);
  }
  return core::make_error(core::Errc::invalid_argument, "db: unsupported database URL '" + db_url +
                                                            "' (expected sqlite:PATH or postgres://USER@HOST:PORT/DB)");
}

}  // namespace corral::queue
