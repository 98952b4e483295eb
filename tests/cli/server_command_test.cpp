// `corral server` as an operator meets it: a bad setting is named as it was typed, an idle server
// stops promptly on SIGTERM, and a start on a healthy disk logs nothing about disk space.
#include "support/cli_runner.hpp"
#include "support/corral_process.hpp"
#include "support/has_substr.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace corral::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> server_args(TempDir const& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"server", "--listen", "127.0.0.1:0", "--db", "sqlite:" + (dir / "corral.db").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(ServerSettings, ABadFlagIsNamedAsTypedWithItsRangeAndValue) {
  TempDir dir;
  auto r = run_cli(server_args(dir, {"--max-body-bytes", "1023"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_substr(r.err, "--max-body-bytes must be between 1024 and 1073741824 (got 1023)")) << r.err;
  EXPECT_FALSE(has_substr(r.err, "CORRAL_MAX_BODY_BYTES")) << r.err;
}

TEST(ServerSettings, ABadVariableIsNamedAsTheVariable) {
  TempDir dir;
  auto r = run_cli(server_args(dir, {}), {{"CORRAL_MAX_BATCH_JOBS", "0"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_substr(r.err, "CORRAL_MAX_BATCH_JOBS must be between 1 and 100000 (got 0)")) << r.err;
}

// The deadline is only there so a hung server fails the test; an idle one exits at once.
TEST(ServerShutdown, AnIdleServerExitsCleanlyOnSigterm) {
  CorralProcess server;
  server.start();
  ASSERT_EQ(server.client().get("/api/v1/queues").status, 200);
  ASSERT_TRUE(server.stop(10s)) << server.log();
  EXPECT_EQ(server.exit_code(), 0) << server.log();
  EXPECT_TRUE(has_substr(server.log(), "stopped")) << server.log();
}

TEST(ServerStart, AHealthyDiskIsNotReportedAsHavingSpaceBack) {
  if (serves_from_postgres()) GTEST_SKIP() << "the disk reserve belongs to the embedded backend";
  TempDir dir;
  CorralProcess server(dir.path());
  for (int run = 0; run < 2; ++run) {   // a new reserve file, then the one the first run left
    server.start();
    ASSERT_TRUE(server.stop()) << server.log();
    EXPECT_EQ(server.exit_code(), 0) << server.log();
    EXPECT_FALSE(has_substr(server.log(), "disk space is back")) << "run " << run << ":\n" << server.log();
  }
}

}  // namespace
}  // namespace corral::test
