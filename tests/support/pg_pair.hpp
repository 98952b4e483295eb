// A PostgreSQL primary and a streaming standby of it, private to one test, for failover tests:
// started by scripts/pg_cluster.sh (start-pair) in a temporary directory, each on a free
// 127.0.0.1 port, and stopped when the object dies. The test breaks the pair through the same
// script: it kills the primary as its machine would die, promotes the standby, or stops the WAL
// sender so that the standby falls behind.
//
//   PgPair pair(PgPair::Replication::synchronous);
//   server.use_db(pair.url());   // follows whichever of the two takes writes
//   pair.kill_primary();
//   pair.promote();
#pragma once

#include "support/temp_dir.hpp"

#include <string>
#include <vector>

namespace corral::test {

class PgPair {
 public:
  enum class Replication {
    synchronous,    // a commit returns once the standby has flushed its WAL
    asynchronous,   // a commit returns at once; the standby follows when it can
  };

  // Throws std::runtime_error, with the script's output, if the pair does not start.
  explicit PgPair(Replication replication);
  ~PgPair();   // stops whatever of the two still runs
  PgPair(PgPair const&) = delete;
  PgPair& operator=(PgPair const&) = delete;

  // Database `db` through both hosts, with target_session_attrs=read-write: libpq connects to
  // whichever takes writes, as a client of a Patroni or repmgr cluster does.
  std::string url(std::string const& db = "postgres") const;
  std::string primary_url() const;
  std::string standby_url() const;

  // SIGKILL to the primary's postmaster and every process it started; returns once they are gone.
  void kill_primary();
  // The standby leaves recovery and takes writes; returns once it does.
  void promote();
  // SIGSTOP to the primary's WAL sender: the standby receives nothing more.
  void pause_wal_sender();

 private:
  void run(std::vector<std::string> const& args) const;   // the script; throws unless it exits 0
  int port(char const* instance) const;

  TempDir dir_;
};

}  // namespace corral::test
