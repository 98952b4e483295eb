// `corral prune` against the real server: how many jobs it deleted, for people and for scripts,
// its filters, and its refusal of a duration or state it cannot act on.
#include "support/cli_fixture.hpp"
#include "support/wait_until.hpp"

namespace corral::test {
namespace {

using PruneCommand = CliTest;

TEST_F(PruneCommand, DeletesOldEndedJobsAndSaysHowMany) {
  auto const kept = enqueue({{"type", "t"}, {"queue", "other"}});
  ASSERT_EQ(corral({"cancel", kept}).exit_code, 0);
  auto const gone = enqueue({{"type", "t"}, {"queue", "mail"}});
  ASSERT_EQ(corral({"cancel", gone}).exit_code, 0);
  auto const waiting = enqueue({{"type", "t"}, {"queue", "mail"}});

  auto none = corral({"prune", "--older-than", "1h"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(none.out, "pruned 0 jobs\n") << "every job ended less than an hour ago";
  EXPECT_EQ(corral({"prune", "--older-than", "0s", "--status", "completed,failed", "--queue", "mail"}).out,
            "pruned 0 jobs\n")
      << "the cancelled job is not of these states";

  // A job counts as older than 0 s once the server's clock has moved past its end.
  std::int64_t pruned = 0;
  EXPECT_TRUE(wait_until(std::chrono::seconds(10), [&] {
    auto r = corral({"prune", "--json", "--older-than", "0", "--status", "cancelled", "--queue", "mail"});
    pruned += json_reply(r).at("pruned").to_number<std::int64_t>();
    return pruned > 0;
  }));
  EXPECT_EQ(pruned, 1);
  EXPECT_EQ(corral({"get", gone}).exit_code, 1) << "deleted: 404";
  EXPECT_EQ(job(kept).at("status"), "cancelled");
  EXPECT_EQ(job(waiting).at("status"), "queued");
}

TEST_F(PruneCommand, RefusesWhatItCannotActOn) {
  for (auto const& duration : {"7x", "d", "-1d", "", "1.5.2h"}) {
    auto r = corral({"prune", "--older-than", duration});
    EXPECT_EQ(r.exit_code, 2) << duration;
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_EQ(corral({"prune"}).exit_code, 2) << "--older-than is required";
  auto state = corral({"prune", "--older-than", "7d", "--status", "queued"});
  EXPECT_EQ(state.exit_code, 1) << "the server refuses a state that can still run";
  EXPECT_FALSE(state.err.empty());
}

}  // namespace
}  // namespace corral::test
