// The writer's copies of job rows: a copy is what the row last written says, or nothing; queued
// copies stay within their byte budget.
#include "queue/sqlite/job_cache.hpp"

#include <gtest/gtest.h>

namespace corral::sqlite {
namespace {

using core::JobState;

core::Job job(std::int64_t seq, JobState status, std::string payload = "{}") {
  core::Job j;
  j.id = "job_" + std::to_string(seq);
  j.seq = seq;
  j.type = "t";
  j.status = status;
  j.payload = std::move(payload);
  return j;
}

TEST(JobCache, AQueuedJobIsTakenOnceByItsSeq) {
  JobCache cache;
  cache.remember(job(1, JobState::queued, R"({"n":1})"));
  auto taken = cache.take_queued(1);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->payload, R"({"n":1})");
  EXPECT_FALSE(cache.take_queued(1));
  EXPECT_EQ(cache.queued_bytes(), 0u);
}

TEST(JobCache, ARunningJobIsFoundByIdUntilItLeavesRunning) {
  JobCache cache;
  cache.remember(job(1, JobState::queued));
  auto running = job(1, JobState::running);
  running.lease_token = "lease-1";
  cache.remember(running);
  EXPECT_FALSE(cache.take_queued(1)) << "the queued copy went stale when the job started";
  ASSERT_NE(cache.running("job_1"), nullptr);
  EXPECT_EQ(cache.running("job_1")->lease_token, "lease-1");

  cache.remember(job(1, JobState::completed));
  EXPECT_EQ(cache.running("job_1"), nullptr);
  EXPECT_FALSE(cache.take_queued(1));
}

TEST(JobCache, ALaterWriteReplacesTheCopyAndOtherStatesAreNotKept) {
  JobCache cache;
  cache.remember(job(1, JobState::queued, R"({"v":1})"));
  cache.remember(job(1, JobState::queued, R"({"v":2})"));
  EXPECT_EQ(cache.queued_count(), 1u);
  EXPECT_EQ(cache.take_queued(1)->payload, R"({"v":2})");

  cache.remember(job(2, JobState::queued));
  cache.remember(job(2, JobState::cancelled));   // cancelled while queued
  cache.remember(job(3, JobState::scheduled));
  EXPECT_FALSE(cache.take_queued(2));
  EXPECT_FALSE(cache.take_queued(3));
  EXPECT_EQ(cache.queued_bytes(), 0u);
}

TEST(JobCache, ForgetAndClearDropEveryCopy) {
  JobCache cache;
  cache.remember(job(1, JobState::queued));
  cache.remember(job(2, JobState::running));
  cache.forget(job(1, JobState::queued));
  EXPECT_FALSE(cache.take_queued(1));
  cache.remember(job(3, JobState::queued));
  cache.clear();
  EXPECT_EQ(cache.running("job_2"), nullptr);
  EXPECT_FALSE(cache.take_queued(3));
  EXPECT_EQ(cache.queued_bytes(), 0u);
}

TEST(JobCache, QueuedCopiesStopAtTheBudgetAndRunningOnesDoNot) {
  auto const one = JobCache::approx_bytes(job(1, JobState::queued, std::string(1000, 'x')));
  JobCache cache(3 * one);
  for (int seq = 1; seq <= 5; ++seq) cache.remember(job(seq, JobState::queued, std::string(1000, 'x')));
  EXPECT_EQ(cache.queued_count(), 3u);
  EXPECT_LE(cache.queued_bytes(), 3 * one);
  EXPECT_TRUE(cache.take_queued(3));
  EXPECT_FALSE(cache.take_queued(4)) << "past the budget: read back from its row when fetched";

  // Taking one frees its share of the budget for the next.
  cache.remember(job(6, JobState::queued, std::string(1000, 'x')));
  EXPECT_TRUE(cache.take_queued(6));

  for (int seq = 10; seq < 20; ++seq) cache.remember(job(seq, JobState::running, std::string(1000, 'x')));
  for (int seq = 10; seq < 20; ++seq) EXPECT_NE(cache.running("job_" + std::to_string(seq)), nullptr);
}

}  // namespace
}  // namespace corral::sqlite
