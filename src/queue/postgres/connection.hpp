// RAII handles for libpq connections and results, and the one mapping from PostgreSQL failures to
// Corral's error codes: a lost or unreachable server, a statement timeout or a full disk is
// storage_unavailable (503, retry later); a deadlock or serialization failure is `retryable` so the
// caller runs its transaction again; anything else (a bug in a statement) is internal.
//
// Not thread-safe: a Connection belongs to one thread at a time (whoever holds it from the Pool).
#pragma once

#include "core/error.hpp"

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::postgres {

// A statement's rows, read by column index. Empty (no rows) for commands.
class Rows {
 public:
  Rows() = default;
  explicit Rows(PGresult* r) : res_(r, &PQclear) {}
  int size() const { return res_ ? PQntuples(res_.get()) : 0; }
  bool is_null(int row, int col) const { return PQgetisnull(res_.get(), row, col) != 0; }
  std::string_view text(int row, int col) const {
    return {PQgetvalue(res_.get(), row, col), static_cast<std::size_t>(PQgetlength(res_.get(), row, col))};
  }
  std::optional<std::string> opt_text(int row, int col) const;
  std::int64_t int64(int row, int col) const;
  std::optional<std::int64_t> opt_int64(int row, int col) const;
  double real(int row, int col) const;
  std::optional<double> opt_real(int row, int col) const;
  bool boolean(int row, int col) const { return text(row, col) == "t"; }

 private:
  std::shared_ptr<PGresult> res_;
};

// A statement parameter in text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;

struct DbFailure {
  core::Error error;
  bool retryable = false;    // deadlock or serialization failure: run the transaction again
  bool connection_lost = false;
};

template <class T>
using DbResult = boost::system::result<T, DbFailure>;

class Connection {
 public:
  // Connects with a bounded connect timeout; statements time out after `statement_timeout_ms`.
  static DbResult<std::unique_ptr<Connection>> open(std::string const& url, int statement_timeout_ms);
  ~Connection();
  Connection(Connection const&) = delete;
  Connection& operator=(Connection const&) = delete;

  // Runs one or more statements without parameters (simple query protocol).
  DbResult<Rows> exec(std::string const& sql);
  // Runs one statement with text parameters. With a non-empty `name`, the statement is prepared
  // once per connection under that name and reused.
  DbResult<Rows> query(std::string const& name, std::string const& sql, std::vector<Param> const& params);
  DbResult<Rows> query(std::string const& sql, std::vector<Param> const& params) { return query("", sql, params); }

  // One statement of a pipeline: as query() takes them (a named one is prepared once).
  struct Statement {
    std::string name;
    std::string sql;
    std::vector<Param> params;
  };
  // Runs `statements` in order in one round trip (libpq's pipeline mode), for statements whose
  // rows nobody reads: a transaction's last writes and its COMMIT. The first failure is returned
  // and the statements after it are not run, so the transaction is failed as after any failed
  // statement.
  DbResult<void> pipeline(std::vector<Statement> const& statements);

  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  PGconn* handle() { return conn_; }

 private:
  explicit Connection(PGconn* c) : conn_(c) {}
  DbResult<Rows> check(PGresult* r, std::string_view what);
  bool prepared(std::string const& name) const;

  PGconn* conn_;
  std::vector<std::string> prepared_;   // names prepared on this connection
};

// The failure of a libpq call on `conn` (or of connecting), as a DbFailure.
DbFailure failure_from(PGconn* conn, PGresult const* res, std::string_view what);

// Quotes `s` as a SQL string literal (for the rare statements that cannot take parameters).
std::string quote_literal(std::string_view s);

}  // namespace corral::postgres
