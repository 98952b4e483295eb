// [queues.NAME] retention through the real server: a queue with a short retention loses its ended
// jobs while the others keep theirs under the global settings.
#include "http/api_helpers.hpp"

#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace corral::test {
namespace {

class QueueRetention : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    write_file(config_.path() / "corral.toml", "[queues.scratch]\nretention_completed_s = 1\n");
    return {"--config", (config_.path() / "corral.toml").string()};
  }

  TempDir config_;
};

TEST_F(QueueRetention, AQueueWithItsOwnShortRetentionLosesItsEndedJobsAndTheOthersKeepTheirs) {
  auto scratch = start_job(api(), {{"type", "t"}, {"queue", "scratch"}});
  auto kept = start_job(api(), {{"type", "t"}, {"queue", "kept"}});
  ASSERT_EQ(complete(api(), scratch).status, 200);
  ASSERT_EQ(complete(api(), kept).status, 200);

  EXPECT_TRUE(wait_until(kDeadline, [&] { return api().get(job_path(scratch.id)).status == 404; }))
      << "scratch's completed job outlived its one second";
  EXPECT_EQ(status_of(api(), kept.id), "completed") << "the global retention keeps it 7 days";
}

}  // namespace
}  // namespace corral::test
