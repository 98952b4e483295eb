// RAII handles for SQLite connections and prepared statements, and the one mapping from SQLite
// result codes to Corral's error codes (SQLITE_FULL, or an I/O error caused by ENOSPC ->
// storage_full; anything else -> storage_unavailable). Not thread-safe: a Database and its
// statements belong to one thread at a time (the writer, or whoever holds a reader from the
// ReaderPool).
#pragma once

#include "core/error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::sqlite {

// Turns a failed SQLite call into an Error, logging the extended code and message.
core::Error error_from(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& o) noexcept;
  Statement& operator=(Statement&& o) noexcept;
  Statement(Statement const&) = delete;
  Statement& operator=(Statement const&) = delete;

  // Binders take 1-based indexes, as SQLite does. Text is copied (SQLITE_TRANSIENT).
  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);
  Statement& bind_null(int i);
  // Text that stays alive and unchanged until the statement has run, and is bound again before
  // the next run: SQLite reads it in place instead of copying it (SQLITE_STATIC). Copying, and
  // freeing the copies, was about a twentieth of a drain's instructions.
  Statement& bind_static(int i, std::string_view v);
  template <class T>
  Statement& bind_static(int i, std::optional<T> const& v) { return v ? bind_static(i, *v) : bind_null(i); }
  template <class T>
  Statement& bind(int i, std::optional<T> const& v) { return v ? bind(i, *v) : bind_null(i); }

  // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> Error.
  core::Result<bool> step();
  // Runs to completion and resets; for statements that return no rows.
  core::Result<void> run();
  // Ready to run again, with every parameter NULL (a writer may leave its nulls unbound).
  void reset();

  bool is_null(int col) const;
  std::int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  // The column's text in place: valid until the statement steps, resets or reads it as another type.
  std::string_view text_view(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<std::int64_t> opt_int64(int col) const;
  std::optional<double> opt_real(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  enum class Mode { read_write, read_only };
  // `vfs` names a registered SQLite VFS; empty means the default one.
  static core::Result<Database> open(std::string const& path, Mode mode, std::string const& vfs = {});

  Database() = default;
  ~Database();
  Database(Database&& o) noexcept;
  Database& operator=(Database&& o) noexcept;
  Database(Database const&) = delete;
  Database& operator=(Database const&) = delete;

  core::Result<void> exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  sqlite3* handle() const { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace corral::sqlite
