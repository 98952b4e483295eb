// The fixture of the CLI tests (tests/cli): a real server on an ephemeral port for each test, the `corral`
// commands run against it as a script would run them, and the HTTP API (through Client) to set
// up jobs and to check what the commands did.
#pragma once

#include "client/client.hpp"
#include "support/cli_runner.hpp"
#include "support/corral_process.hpp"
#include "support/has_substr.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace corral::test {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;   // the server must stop cleanly: exit 0 on SIGTERM

  // `corral ARGS... --server URL`.
  CliResult corral(std::vector<std::string> args, std::string const& stdin_text = "");
  // `corral worker --server URL ARGS...`, running in the background (replacing a previous one,
  // which must have exited); its output in worker_log().
  Process& start_worker(std::vector<std::string> const& args);
  std::string worker_log() const;

  // Through the API: enqueue (201 expected) and read jobs.
  std::string enqueue(boost::json::object body);
  boost::json::object job(std::string const& id);
  // Waits until the job's status is `status`; the job as last read.
  boost::json::object wait_for_status(std::string const& id, std::string const& status,
                                      std::chrono::seconds timeout = std::chrono::seconds(20));

  CorralProcess server_;
  TempDir dir_;   // scratch files: payloads, scripts' signal files, worker logs
  std::unique_ptr<Process> worker_;
};

// stdout of a `--json` command, parsed; fails the test if it is not a JSON object.
boost::json::object json_reply(CliResult const& result);

// A URL where nothing listens: a port the kernel handed out and that was closed again.
std::string unreachable_url();

}  // namespace corral::test
