#include "support/postgres_db.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <stdexcept>

namespace corral::test {
namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Conn connect(std::string const& url) {
  Conn c(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to the test PostgreSQL at " + url + ": " + PQerrorMessage(c.get()));
  }
  return c;
}

std::string run(PGconn* c, std::string const& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c, sql.c_str()), &PQclear);
  auto status = PQresultStatus(r.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("'" + sql + "' failed: " + PQresultErrorMessage(r.get()));
  }
  if (status == PGRES_TUPLES_OK && PQntuples(r.get()) > 0 && !PQgetisnull(r.get(), 0, 0)) return PQgetvalue(r.get(), 0, 0);
  return "";
}

}  // namespace

std::string pg_admin_url() {
  char const* url = std::getenv("CORRAL_TEST_PG_URL");
  if (!url || !*url) {
    throw std::runtime_error("CORRAL_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts a "
                             "private PostgreSQL for them");
  }
  return url;
}

std::string pg_database_url(std::string const& name) {
  auto url = pg_admin_url();
  auto slash = url.rfind('/');
  auto query = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

std::string pg_ensure_database(std::string const& name) {
  auto admin = connect(pg_admin_url());
  if (run(admin.get(), "SELECT 1 FROM pg_database WHERE datname = '" + name + "'").empty()) {
    run(admin.get(), "CREATE DATABASE " + name);
  }
  return pg_database_url(name);
}

std::string pg_fresh_database(std::string const& prefix) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto name = prefix + "_" + std::to_string(rd() % 1000000000) + "_" + std::to_string(counter++);
  return pg_ensure_database(name);
}

std::string pg_scalar(std::string const& url, std::string const& sql) {
  auto c = connect(url);
  return run(c.get(), sql);
}

struct PgSession::Impl {
  Conn conn;
};

PgSession::PgSession(std::string const& url) : impl_(new Impl{connect(url)}) {}
PgSession::~PgSession() = default;
std::string PgSession::exec(std::string const& sql) { return run(impl_->conn.get(), sql); }

}  // namespace corral::test
