// `corral server` as an operator meets it: a bad setting is named as it was typed.
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

}  // namespace
}  // namespace corral::test
