#include "queue/postgres/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

namespace corral::postgres {
namespace {

template <class T>
T parse_number(std::string_view s) {
  T v{};
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// SQLSTATE classes that say the server (not the statement) is the problem.
bool unavailable_state(std::string_view state) {
  return state.starts_with("08") ||   // connection exception
         state.starts_with("53") ||   // insufficient resources (disk full, out of memory, too many connections)
         state.starts_with("57") ||   // operator intervention (shutdown, statement timeout 57014)
         state.starts_with("58");     // system error (I/O)
}

// libpq's view of text parameters: pointers into `params`, null for SQL NULL.
std::vector<char const*> param_values(std::vector<Param> const& params) {
  std::vector<char const*> values;
  values.reserve(params.size());
  for (auto const& p : params) values.push_back(p ? p->c_str() : nullptr);
  return values;
}

}  // namespace

std::optional<std::string> Rows::opt_text(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return std::string(text(row, col));
}

std::int64_t Rows::int64(int row, int col) const { return parse_number<std::int64_t>(text(row, col)); }

std::optional<std::int64_t> Rows::opt_int64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return int64(row, col);
}

double Rows::real(int row, int col) const { return parse_number<double>(text(row, col)); }

std::optional<double> Rows::opt_real(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return real(row, col);
}

DbFailure failure_from(PGconn* conn, PGresult const* res, std::string_view what) {
  std::string state;
  std::string message;
  if (res) {
    if (char const* s = PQresultErrorField(res, PG_DIAG_SQLSTATE)) state = s;
    if (char const* m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) message = m;
  }
  if (message.empty() && conn) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  bool const lost = !conn || PQstatus(conn) != CONNECTION_OK;
  DbFailure f{core::make_error(core::Errc::internal, std::string(what) + ": " + message), false, lost};
  if (state == "40001" || state == "40P01") {
    f.retryable = true;
    f.error.code = core::Errc::storage_unavailable;
  } else if (lost || state.empty() || unavailable_state(state)) {
    f.error.code = core::Errc::storage_unavailable;
    f.error.message = "the database is unavailable: " + message;
  }
  spdlog::log(f.retryable ? spdlog::level::debug : spdlog::level::warn, "postgres {} failed (sqlstate {}): {}",
              what, state.empty() ? "none" : state, message);
  return f;
}

DbResult<std::unique_ptr<Connection>> Connection::open(std::string const& url, int statement_timeout_ms) {
  // Keywords override what the URL says: a bounded connect, and a statement timeout so a stuck
  // database gives errors instead of a hung server.
  std::string const timeout = std::to_string(statement_timeout_ms);
  std::string const options = "-c statement_timeout=" + timeout + " -c idle_in_transaction_session_timeout=60000";
  char const* keys[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
  char const* values[] = {url.c_str(), "5", options.c_str(), "corral", nullptr};
  PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!c || PQstatus(c) != CONNECTION_OK) {
    auto f = failure_from(c, nullptr, "connect");
    f.connection_lost = true;
    f.error.code = core::Errc::storage_unavailable;
    if (c) PQfinish(c);
    return f;
  }
  return std::unique_ptr<Connection>(new Connection(c));
}

Connection::~Connection() { PQfinish(conn_); }

DbResult<Rows> Connection::check(PGresult* r, std::string_view what) {
  auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(r);
  auto f = failure_from(conn_, r, what);
  if (r) PQclear(r);
  return f;
}

DbResult<Rows> Connection::exec(std::string const& sql) { return check(PQexec(conn_, sql.c_str()), "statement"); }

bool Connection::prepared(std::string const& name) const {
  return std::find(prepared_.begin(), prepared_.end(), name) != prepared_.end();
}

DbResult<Rows> Connection::query(std::string const& name, std::string const& sql, std::vector<Param> const& params) {
  auto const values = param_values(params);
  int const n = static_cast<int>(params.size());
  if (name.empty()) {
    return check(PQexecParams(conn_, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0), "statement");
  }
  if (!prepared(name)) {
    auto prepared = check(PQprepare(conn_, name.c_str(), sql.c_str(), n, nullptr), name);
    if (!prepared) return prepared.error();
    prepared_.push_back(name);
  }
  return check(PQexecPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0), name);
}

DbResult<void> Connection::pipeline(std::vector<Statement> const& statements) {
  if (statements.empty()) return {};
  if (PQenterPipelineMode(conn_) != 1) return failure_from(conn_, nullptr, "pipeline");
  // What each result answers, in order: a statement, or the prepare of a name before its first use.
  struct Sent {
    std::string const* name;
    bool prepare;
  };
  std::vector<Sent> sent;
  std::vector<std::string_view> preparing;   // names this pipeline prepares (a name may come twice)
  bool sent_all = true;
  for (auto const& st : statements) {
    auto const values = param_values(st.params);
    int const n = static_cast<int>(st.params.size());
    if (!st.name.empty() && !prepared(st.name) &&
        std::find(preparing.begin(), preparing.end(), st.name) == preparing.end()) {
      preparing.push_back(st.name);
      if (PQsendPrepare(conn_, st.name.c_str(), st.sql.c_str(), n, nullptr) != 1) {
        sent_all = false;
        break;
      }
      sent.push_back({&st.name, true});
    }
    int const ok = st.name.empty()
                       ? PQsendQueryParams(conn_, st.sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0)
                       : PQsendQueryPrepared(conn_, st.name.c_str(), n, values.data(), nullptr, nullptr, 0);
    if (ok != 1) {
      sent_all = false;
      break;
    }
    sent.push_back({&st.name, false});
  }
  std::optional<DbFailure> failed;
  if (!sent_all || PQpipelineSync(conn_) != 1) {
    failed = failure_from(conn_, nullptr, "pipeline");
    failed->connection_lost = true;   // a half-sent pipeline leaves the connection unusable
  } else {
    // Each statement's result is followed by a null; the sync's result ends the pipeline. Two
    // nulls in a row mean nothing more will come (the connection broke).
    std::size_t answered = 0;
    int nulls = 0;
    for (;;) {
      PGresult* r = PQgetResult(conn_);
      if (!r) {
        if (++nulls == 2) {
          if (!failed) failed = failure_from(conn_, nullptr, "pipeline");
          failed->connection_lost = true;
          break;
        }
        continue;
      }
      nulls = 0;
      auto const status = PQresultStatus(r);
      if (status == PGRES_PIPELINE_SYNC) {
        PQclear(r);
        break;
      }
      if (answered < sent.size()) {
        auto const& s = sent[answered++];
        bool const ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (ok && s.prepare) prepared_.push_back(*s.name);
        if (!ok && status != PGRES_PIPELINE_ABORTED && !failed) {
          failed = failure_from(conn_, r, s.name->empty() ? std::string_view("statement") : *s.name);
        }
      }
      PQclear(r);
    }
  }
  if (PQexitPipelineMode(conn_) != 1 && !failed) {
    failed = failure_from(conn_, nullptr, "pipeline");
    failed->connection_lost = true;
  }
  if (failed) return *failed;
  return {};
}

std::string quote_literal(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace corral::postgres
