// [queues.NAME] retention through the real server: a queue with a short retention loses its ended
// jobs while the others keep theirs under the global settings.
#include "http/configured_api_test.hpp"

namespace corral::test {
namespace {

class QueueRetention : public ConfiguredApiTest {
 protected:
  std::string config_toml() const override { return "[queues.scratch]\nretention_completed_s = 1\n"; }
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
