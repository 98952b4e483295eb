#include "core/queue_flow.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using std::chrono::seconds;

TimePoint const t0{seconds(1'700'000'000)};

TEST(QueueRateLimit, ItsBucketGainsJobsPerPeriodAndHoldsTheBurstOrElseJobs) {
  auto const plain = QueueRateLimit{50, 1, std::nullopt}.bucket();
  EXPECT_DOUBLE_EQ(plain.per_s, 50);
  EXPECT_DOUBLE_EQ(plain.capacity(), 50);
  auto const slow = QueueRateLimit{10, 60, 2}.bucket();
  EXPECT_DOUBLE_EQ(slow.per_s, 10.0 / 60);
  EXPECT_DOUBLE_EQ(slow.capacity(), 2);
}

TEST(QueueRateLimit, FiftyPerSecondStartsFiveHundredInTenSecondsAfterTheBurst) {
  BasicTokenBucket<std::chrono::system_clock, Micros> bucket(QueueRateLimit{50, 1, 1}.bucket(), t0);
  std::int64_t started = 0;
  for (auto t = t0; t < t0 + seconds(10); t += Micros(1000)) started += bucket.take_up_to(100, t);
  EXPECT_EQ(started, 500);
}

TEST(PriorityAging, WithoutARateTheRankIsThePriority) {
  EXPECT_EQ(aged_rank(7, std::nullopt, t0), 7.0);
  EXPECT_EQ(aged_rank(-1000, std::nullopt, t0 + seconds(5)), -1000.0);
}

TEST(PriorityAging, AWaitingJobOvertakesAHigherOneOnceItHasWaitedTheirGapOverTheRate) {
  // Rate 10 a second: a job of priority 0 waiting 2 s is worth 20, and passes a newer one of 15.
  double const old_low = aged_rank(0, 10.0, t0);
  EXPECT_GT(old_low, aged_rank(15, 10.0, t0 + seconds(2)));
  EXPECT_LT(old_low, aged_rank(25, 10.0, t0 + seconds(2)));
  EXPECT_DOUBLE_EQ(effective_priority(old_low, 10.0, t0 + seconds(2)), 20);
  EXPECT_DOUBLE_EQ(effective_priority(aged_rank(15, 10.0, t0 + seconds(2)), 10.0, t0 + seconds(2)), 15);
}

TEST(PriorityAging, EqualPrioritiesKeepTheirOrderOfReadiness) {
  EXPECT_GT(aged_rank(3, 0.5, t0), aged_rank(3, 0.5, t0 + Micros(1)));
}

}  // namespace
}  // namespace corral::core
