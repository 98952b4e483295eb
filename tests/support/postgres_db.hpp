// Databases on the test PostgreSQL cluster that scripts/test.sh starts (scripts/pg_cluster.sh)
// and names in CORRAL_TEST_PG_URL. Each test makes databases of its own, so tests never see each
// other's jobs, and the cluster goes away with the test run.
#pragma once

#include <memory>
#include <string>

namespace corral::test {

// The cluster's admin URL; throws std::runtime_error (failing the test) if the variable is not
// set, since these tests must not pass by not running: run them through scripts/test.sh.
std::string pg_admin_url();
// The URL of database `name` on the test cluster.
std::string pg_database_url(std::string const& name);
// Creates database `name` unless it exists; returns its URL.
std::string pg_ensure_database(std::string const& name);
// A new, empty database with a unique name; returns its URL.
std::string pg_fresh_database(std::string const& prefix = "corral_test");
// Runs one SQL statement on database `url`; returns the first column of the first row ("" if none).
std::string pg_scalar(std::string const& url, std::string const& sql);

// A connection of the test's own, for holding locks or transactions open across steps.
class PgSession {
 public:
  explicit PgSession(std::string const& url);
  ~PgSession();
  PgSession(PgSession const&) = delete;
  PgSession& operator=(PgSession const&) = delete;
  std::string exec(std::string const& sql);   // throws std::runtime_error on failure

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corral::test
