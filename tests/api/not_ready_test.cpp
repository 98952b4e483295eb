// Why a job is not running: the reason GET /api/v1/jobs/{id} gives for each state and limit.
#include "api/not_ready.hpp"

#include <gtest/gtest.h>

namespace corral::api {
namespace {

using core::JobState;

core::Job job_in(JobState s) {
  core::Job job;
  job.queue = "convert";
  job.status = s;
  return job;
}

QueueInfo queue_with_running(std::int64_t running) {
  QueueInfo q{.name = "convert"};
  q.counts[static_cast<std::size_t>(JobState::running)] = running;
  return q;
}

TEST(NotReady, AWaitingJobCountsTheParentsLeft) {
  auto job = job_in(JobState::waiting);
  job.depends_on = {"a", "b", "c"};
  job.parents_left = 2;
  EXPECT_EQ(why_not_ready(job, nullptr), (NotReady{"parents", "waiting for 2 parents of 3 to end"}));
}

TEST(NotReady, ScheduledAndRetryingJobsAreDueLater) {
  EXPECT_EQ(why_not_ready(job_in(JobState::scheduled), nullptr)->code, "scheduled");
  EXPECT_EQ(why_not_ready(job_in(JobState::retrying), nullptr)->code, "retrying");
}

TEST(NotReady, RunningAndEndedJobsHaveNone) {
  for (auto s : {JobState::running, JobState::completed, JobState::failed, JobState::cancelled}) {
    EXPECT_EQ(why_not_ready(job_in(s), nullptr), std::nullopt) << core::to_string(s);
  }
}

TEST(NotReady, AQueuedJobNamesWhatHoldsItsQueue) {
  auto const job = job_in(JobState::queued);
  auto q = queue_with_running(3);
  EXPECT_EQ(why_not_ready(job, &q), std::nullopt) << "no limit: ready, waiting for a worker";
  q.paused = true;
  EXPECT_EQ(why_not_ready(job, &q)->code, "queue_paused");
  q.paused = false;
  q.limits.max_running = 3;
  EXPECT_EQ(why_not_ready(job, &q), (NotReady{"concurrency_limit", "queue convert has 3 jobs running, its max_running"}));
  q.limits.max_running = 4;
  EXPECT_EQ(why_not_ready(job, &q), std::nullopt);
  q.flow.rate_limit = core::QueueRateLimit{.jobs = 50, .per_s = 1};
  EXPECT_EQ(why_not_ready(job, &q)->code, "rate_limit");
  auto keyed = job;
  keyed.concurrency_key = "customer-1";
  q.limits.max_running_per_key = 1;
  EXPECT_EQ(why_not_ready(keyed, &q)->code, "concurrency_limit");
}

}  // namespace
}  // namespace corral::api
