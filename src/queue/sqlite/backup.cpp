#include "queue/sqlite/backup.hpp"

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>

namespace corral::sqlite {
namespace {

namespace fs = std::filesystem;

// A read that meets a WAL being restarted gets SQLITE_BUSY for a moment; the copy tries again
// this often, for at most kBusyAttempts * kBusyPause.
constexpr int kBusyAttempts = 100;
constexpr auto kBusyPause = std::chrono::milliseconds(50);

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

core::Error failed(std::string what, sqlite3* db) {
  return core::make_error(core::Errc::storage_unavailable, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

core::Result<Connection> open(std::string const& path, int flags) {
  sqlite3* db = nullptr;
  int const rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Connection connection(db);
  if (rc != SQLITE_OK) return failed("cannot open " + path, db);
  return connection;
}

// fsync of a file or a directory, so that the copy and its name survive a power loss.
core::Result<void> sync_path(fs::path const& path, int flags) {
  int const fd = ::open(path.c_str(), flags | O_CLOEXEC);
  bool const ok = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!ok) return core::make_error(core::Errc::storage_unavailable, "cannot sync " + path.string());
  return {};
}

// Every page of `source` into `dest`, in one read transaction of `source`.
core::Result<void> copy_pages(sqlite3* source, sqlite3* dest) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) return failed("cannot start the backup", dest);
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < kBusyAttempts; ++attempt) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(kBusyPause);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return core::make_error(core::Errc::storage_unavailable, std::string("the copy failed: ") + sqlite3_errstr(rc));
  }
  return {};
}

core::Result<int> schema_version(sqlite3* db) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) != SQLITE_OK) {
    return failed("cannot read the schema version", db);
  }
  int const version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  sqlite3_finalize(st);
  return version;
}

}  // namespace

core::Result<BackupCopy> backup_database(std::string const& db_path, std::string const& dest_path) {
  auto invalid = [](std::string message) { return core::make_error(core::Errc::invalid_argument, std::move(message)); };
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) return invalid("there is no database at " + db_path);
  if (fs::exists(dest_path, ec)) return invalid(dest_path + " exists; a backup never overwrites a file");
  fs::path const dest(dest_path);
  fs::path const partial = dest_path + ".partial";
  // Left by a backup that was interrupted (its journal would be rolled back into a new copy).
  fs::remove(partial, ec);
  fs::remove(partial.string() + "-journal", ec);

  auto source = open(db_path, SQLITE_OPEN_READONLY);
  if (!source) return source.error();
  auto version = schema_version(source->get());
  if (!version) return version.error();
  if (*version == 0) return invalid(db_path + " is not a Corral database (it has no schema version)");
  {
    auto copy = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!copy) return copy.error();
    if (auto r = copy_pages(source->get(), copy->get()); !r) {
      copy->reset();
      fs::remove(partial, ec);
      return r.error();
    }
  }
  source->reset();
  auto const parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  if (auto r = sync_path(partial, O_RDONLY); !r) return r.error();
  // A link, not a rename: it fails rather than replace a DEST made meanwhile.
  if (::link(partial.c_str(), dest.c_str()) != 0) {
    int const err = errno;
    fs::remove(partial, ec);
    return core::make_error(err == EEXIST ? core::Errc::invalid_argument : core::Errc::storage_unavailable,
                            "cannot name the copy " + dest_path + ": " + std::strerror(err));
  }
  fs::remove(partial, ec);
  if (auto r = sync_path(parent, O_RDONLY | O_DIRECTORY); !r) return r.error();
  return BackupCopy{static_cast<std::uint64_t>(fs::file_size(dest, ec)), *version};
}

}  // namespace corral::sqlite
