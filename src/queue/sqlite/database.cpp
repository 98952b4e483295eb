#include "queue/sqlite/database.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>

#include <stdexcept>
#include <utility>

namespace corral::sqlite {
namespace {

// An I/O error whose cause was ENOSPC: SQLite reports SQLITE_FULL only for writes to the database
// and WAL, and SQLITE_IOERR_SHMSIZE when it cannot extend the -shm index (it writes each new page
// of it, so a full tmpfs fails that write rather than raising SIGBUS on the mapping later). That
// is a full disk too, and as recoverable. A sync that failed is not, whatever its errno: the
// kernel may have dropped the pages it could not write.
bool is_out_of_space(sqlite3* db, int rc, int extended) {
  if (db == nullptr || (rc & 0xff) != SQLITE_IOERR) return false;
  if (extended == SQLITE_IOERR_FSYNC || extended == SQLITE_IOERR_DIR_FSYNC) return false;
  int const sys = sqlite3_system_errno(db);
  return sys == ENOSPC || sys == EDQUOT;
}

}  // namespace

core::Error error_from(sqlite3* db, int rc, std::string_view what) {
  int const extended = db ? sqlite3_extended_errcode(db) : rc;
  std::string const detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  spdlog::error("sqlite: {} failed: {} (code {})", what, detail, extended);
  if ((rc & 0xff) == SQLITE_FULL || is_out_of_space(db, rc, extended)) {
    return core::make_error(core::Errc::storage_full, "storage is full; nothing was written");
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    // Corral checks its constraints before writing; one failing here is a bug, not a bad disk.
    return core::make_error(core::Errc::internal, "a database constraint failed (" + detail + "); nothing was written");
  }
  return core::make_error(core::Errc::storage_unavailable,
                          "storage failed (" + detail + "); nothing was written");
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  int const rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt_, nullptr);
  // A statement that does not prepare is a bug in Corral's SQL, not a runtime condition.
  if (rc != SQLITE_OK) throw std::logic_error("sqlite prepare failed: " + std::string(sqlite3_errmsg(db)) + ": " + std::string(sql));
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(o.db_, nullptr);
    stmt_ = std::exchange(o.stmt_, nullptr);
  }
  return *this;
}

Statement& Statement::bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
Statement& Statement::bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); return *this; }
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::bind_null(int i) { sqlite3_bind_null(stmt_, i); return *this; }
Statement& Statement::bind_static(int i, std::string_view v) {
  sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  return *this;
}

core::Result<bool> Statement::step() {
  int const rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  auto err = error_from(db_, rc, sqlite3_sql(stmt_));
  sqlite3_reset(stmt_);
  return err;
}

core::Result<void> Statement::run() {
  auto r = step();
  reset();
  if (!r) return r.error();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::real(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::text(int col) const { return std::string(text_view(col)); }
std::string_view Statement::text_view(int col) const {
  // sqlite3_column_text before sqlite3_column_bytes, as SQLite documents, so the length is the text's.
  auto const* p = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, col));
  return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string_view();
}
std::optional<std::string> Statement::opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}
std::optional<std::int64_t> Statement::opt_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}
std::optional<double> Statement::opt_real(int col) const {
  if (is_null(col)) return std::nullopt;
  return real(col);
}

core::Result<Database> Database::open(std::string const& path, Mode mode, std::string const& vfs) {
  // Corral never asks SQLite how much memory it uses; keeping count takes a global mutex in
  // every malloc and free. Only possible before SQLite initialises (else a harmless MISUSE).
  static int const no_memstatus = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)no_memstatus;
  sqlite3* db = nullptr;
  int const flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                            : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int const rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX,
                                 vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    auto err = error_from(db, rc, "open " + path);
    sqlite3_close(db);
    return err;
  }
  sqlite3_extended_result_codes(db, 1);
  // Readers may briefly meet a checkpoint; wait rather than fail.
  sqlite3_busy_timeout(db, 5000);
  return Database(db);
}

Database::~Database() { sqlite3_close_v2(db_); }

Database::Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}

Database& Database::operator=(Database&& o) noexcept {
  if (this != &o) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

core::Result<void> Database::exec(std::string_view sql) {
  std::string const s(sql);
  int const rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error_from(db_, rc, s.substr(0, 60));
  return {};
}

}  // namespace corral::sqlite
