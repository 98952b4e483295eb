#include "core/token_bucket.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using Clock = std::chrono::steady_clock;
using TokenBucket = BasicTokenBucket<Clock>;
using std::chrono::milliseconds;
using std::chrono::seconds;

Clock::time_point const kStart{seconds(1000)};

int taken_of(TokenBucket& bucket, int tries, Clock::time_point now) {
  int taken = 0;
  for (int i = 0; i < tries; ++i) taken += bucket.take(now) ? 0 : 1;
  return taken;
}

TEST(TokenBucket, ANewBucketGivesItsBurstAtOnceThenRefuses) {
  TokenBucket bucket({.per_s = 5, .burst = 5}, kStart);
  EXPECT_EQ(taken_of(bucket, 5, kStart), 5);
  auto const wait = bucket.take(kStart);
  ASSERT_TRUE(wait);
  EXPECT_GE(*wait, milliseconds(200));
  EXPECT_LT(*wait, milliseconds(201));
}

TEST(TokenBucket, ARefusedTakeCostsNothing) {
  TokenBucket bucket({.per_s = 1, .burst = 1}, kStart);
  ASSERT_FALSE(bucket.take(kStart));
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(bucket.take(kStart + milliseconds(500)));
  EXPECT_FALSE(bucket.take(kStart + seconds(1)));
}

TEST(TokenBucket, TokensComeBackAtTheRateUpToTheBurst) {
  TokenBucket bucket({.per_s = 2, .burst = 4}, kStart);
  ASSERT_EQ(taken_of(bucket, 4, kStart), 4);
  EXPECT_EQ(taken_of(bucket, 10, kStart + seconds(1)), 2);
  EXPECT_EQ(taken_of(bucket, 10, kStart + seconds(100)), 4);
}

TEST(TokenBucket, TheWaitIsUntilOneWholeToken) {
  TokenBucket bucket({.per_s = 0.5, .burst = 1}, kStart);
  ASSERT_FALSE(bucket.take(kStart));
  EXPECT_EQ(bucket.take(kStart), seconds(2));
  EXPECT_EQ(bucket.take(kStart + milliseconds(1500)), milliseconds(500));
  EXPECT_FALSE(bucket.take(kStart + seconds(2)));
}

TEST(TokenBucket, AnEarlierTimeThanTheLastTakeGainsNothing) {
  TokenBucket bucket({.per_s = 1, .burst = 1}, kStart);
  ASSERT_FALSE(bucket.take(kStart + seconds(5)));
  EXPECT_TRUE(bucket.take(kStart));
  EXPECT_TRUE(bucket.take(kStart + seconds(5)));
}

TEST(TokenBucket, IsFullAgainOnceLeftAloneForBurstOverRate) {
  TokenBucket bucket({.per_s = 2, .burst = 4}, kStart);
  EXPECT_TRUE(bucket.full(kStart));
  ASSERT_FALSE(bucket.take(kStart));
  EXPECT_FALSE(bucket.full(kStart + milliseconds(400)));
  EXPECT_TRUE(bucket.full(kStart + milliseconds(500)));
}

TEST(TokenBucket, ABurstOfZeroHoldsTheRateRoundedUpAndAtLeastOne) {
  EXPECT_EQ((RateLimit{.per_s = 2.5}.capacity()), 3);
  EXPECT_EQ((RateLimit{.per_s = 0.1}.capacity()), 1);
  EXPECT_EQ((RateLimit{.per_s = 0.1, .burst = 7}.capacity()), 7);
}

TEST(TokenBucket, TakeUpToTakesTheWholeTokensItHoldsAndNoMore) {
  TokenBucket bucket({.per_s = 10, .burst = 5}, kStart);
  EXPECT_EQ(bucket.take_up_to(3, kStart), 3);
  EXPECT_EQ(bucket.take_up_to(10, kStart), 2);
  EXPECT_EQ(bucket.take_up_to(10, kStart), 0);
  EXPECT_EQ(bucket.take_up_to(10, kStart + milliseconds(250)), 2) << "2.5 tokens: two whole ones";
  EXPECT_EQ(bucket.wait(kStart + milliseconds(250)), milliseconds(50));
  EXPECT_EQ(bucket.take_up_to(0, kStart + seconds(9)), 0);
}

TEST(TokenBucket, ABucketReadBackFromItsStateGoesOnAsTheOriginal) {
  TokenBucket original({.per_s = 2, .burst = 4}, kStart);
  ASSERT_EQ(original.take_up_to(3, kStart), 3);
  TokenBucket restored(original.limit(), original.tokens(), original.at());
  EXPECT_EQ(restored.take_up_to(10, kStart + seconds(1)), 3);
  EXPECT_EQ(original.take_up_to(10, kStart + seconds(1)), 3);
}

TEST(TokenBucket, WorksOnWallClockMicrosecondsToo) {
  using Micros = std::chrono::microseconds;
  using WallBucket = BasicTokenBucket<std::chrono::system_clock, Micros>;
  std::chrono::time_point<std::chrono::system_clock, Micros> const w0{seconds(1'700'000'000)};
  WallBucket bucket({.per_s = 50, .burst = 1}, w0);
  ASSERT_EQ(bucket.take_up_to(5, w0), 1);
  EXPECT_EQ(bucket.wait(w0), Micros(20'000));
  EXPECT_EQ(bucket.take_up_to(5, w0 + Micros(19'999)), 0);
  EXPECT_EQ(bucket.take_up_to(5, w0 + Micros(20'000)), 1);
}

TEST(TokenBucket, RetryAfterIsWholeSecondsRoundedUpAndAtLeastOne) {
  EXPECT_EQ(retry_after_seconds(milliseconds(1)), 1);
  EXPECT_EQ(retry_after_seconds(milliseconds(0)), 1);
  EXPECT_EQ(retry_after_seconds(seconds(1)), 1);
  EXPECT_EQ(retry_after_seconds(milliseconds(1001)), 2);
  EXPECT_EQ(retry_after_seconds(seconds(30)), 30);
}

}  // namespace
}  // namespace corral::auth
