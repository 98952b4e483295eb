// The real `corral server` binary, as integration tests drive it: on 127.0.0.1 with an ephemeral
// port read from its "listening on 127.0.0.1:PORT" log line (never a fixed port, never a sleep),
// its database in a temporary directory, stopped by PID and checked for a clean exit.
//
//   CorralProcess server;
//   server.start();
//   auto reply = server.client().get("/api/v1/queues");
//   EXPECT_TRUE(server.stop());
//   EXPECT_EQ(server.exit_code(), 0);
#pragma once

#include "client/client.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace corral::test {

// The `corral` binary under test (CORRAL_BINARY is set by tests/CMakeLists.txt).
inline constexpr char const* kCorralBinary = CORRAL_BINARY;

class CorralProcess {
 public:
  CorralProcess();                                           // data in a fresh temporary directory
  explicit CorralProcess(std::filesystem::path data_dir);   // data in `data_dir`, kept: for restarts
  ~CorralProcess();                                          // SIGKILL if still running
  CorralProcess(CorralProcess const&) = delete;
  CorralProcess& operator=(CorralProcess const&) = delete;

  // Serves from database `url` (postgres://...) instead of sqlite:DIR/corral.db, from the next start.
  void use_db(std::string url) { db_url_ = std::move(url); }
  // The --db it serves from: use_db's, else a database of its own on the test PostgreSQL when
  // CORRAL_TEST_BACKEND=postgres (so a whole suite can run against that backend), else
  // sqlite:DIR/corral.db.
  std::string db_url() const;

  // Runs `corral server --listen 127.0.0.1:PORT --db sqlite:DIR/corral.db EXTRA_ARGS...` and
  // returns once it logs that it listens. port 0 lets it pick; pass port() to restart on the same
  // one. Throws std::runtime_error, with the log, if it exits or is not listening by the deadline.
  void start(std::vector<std::string> const& extra_args = {}, int port = 0,
             std::map<std::string, std::string> const& env = {});
  // SIGTERM, then waits for the exit. False (and SIGKILL) if it has not exited by the deadline.
  bool stop(std::chrono::steady_clock::duration deadline = std::chrono::seconds(15));
  void kill();   // SIGKILL, and reap
  bool running();
  std::optional<int> exit_code();   // of the last run; 128 + signal if a signal ended it

  int port() const { return port_; }
  pid_t pid() const;                // of the running server; -1 if none was started
  std::string url() const;          // "http://127.0.0.1:PORT"
  client::Client client() const;
  std::filesystem::path const& data_dir() const { return dir_; }
  std::filesystem::path db_path() const { return dir_ / "corral.db"; }
  std::string log() const;          // stdout and stderr of the last run, so far

 private:
  std::unique_ptr<TempDir> owned_dir_;
  std::filesystem::path dir_;
  std::unique_ptr<Process> process_;
  std::filesystem::path log_path_;
  std::optional<std::string> db_url_;
  int port_ = 0;
  int runs_ = 0;
};

// True when CORRAL_TEST_BACKEND=postgres: the suite runs against the PostgreSQL backend.
bool serves_from_postgres();

// The port in the first "listening on HOST:PORT" line of `log`, if there is one.
std::optional<int> parse_listening_port(std::string const& log);

}  // namespace corral::test
