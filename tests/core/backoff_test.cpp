#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <cmath>

namespace corral::core {
namespace {

constexpr int kMaxAttemptTested = 2000;
// The largest draw a caller can pass: unit_random is in [0, 1).
double const kAlmostOne = std::nextafter(1.0, 0.0);

// The built-in policy's capped base, computed independently: 2^(n-1) s until it reaches 3600 s.
double default_base_s(int n) { return n <= 12 ? static_cast<double>(1 << (n - 1)) : 3600.0; }

TEST(Backoff, DefaultPolicyDoublesFromOneSecondUntilTheOneHourCap) {
  Backoff const b;
  for (int n = 1; n <= kMaxAttemptTested; ++n) {
    // u = 0.5 makes the jitter factor exactly 1.
    EXPECT_EQ(delay_for(b, n, 0.5), seconds_to_micros(default_base_s(n))) << "attempt " << n;
  }
  EXPECT_EQ(delay_for(b, 1, 0.5), Micros(1'000'000));
  EXPECT_EQ(delay_for(b, 12, 0.5), Micros(2048'000'000));
  EXPECT_EQ(delay_for(b, 13, 0.5), Micros(3600'000'000));
}

TEST(Backoff, JitterStaysWithinItsFractionForEveryAttempt) {
  Backoff const b;  // jitter 0.1
  for (int n = 1; n <= kMaxAttemptTested; ++n) {
    double const base = default_base_s(n);
    EXPECT_EQ(delay_for(b, n, 0.0), seconds_to_micros(base * 0.9)) << "attempt " << n;
    Micros const high = delay_for(b, n, kAlmostOne);
    EXPECT_LE(high, seconds_to_micros(base * 1.1)) << "attempt " << n;
    EXPECT_GE(high, seconds_to_micros(base * 1.1) - Micros(1)) << "attempt " << n;
  }
}

TEST(Backoff, DelayGrowsMonotonicallyUntilTheCapThenStaysThere) {
  Backoff const b{.initial_s = 0.5, .multiplier = 3, .max_s = 1000, .jitter = 0.2};
  for (double u : {0.0, 0.25, 0.5, kAlmostOne}) {
    Micros previous = delay_for(b, 1, u);
    bool capped = false;
    for (int n = 2; n <= kMaxAttemptTested; ++n) {
      Micros const d = delay_for(b, n, u);
      if (capped) {
        EXPECT_EQ(d, previous) << "attempt " << n << " u " << u;
      } else {
        EXPECT_GT(d, previous) << "attempt " << n << " u " << u;
      }
      capped = capped || d == seconds_to_micros(1000 * (1 + 0.2 * (2 * u - 1)));
      previous = d;
    }
    EXPECT_TRUE(capped) << "u " << u;
  }
}

TEST(Backoff, HugeAttemptNumbersAndMultipliersNeverOverflow) {
  Backoff const b{.initial_s = 1, .multiplier = 1000, .max_s = 315360000, .jitter = 1};
  for (int n : {1, 2, 3, 4, 100, 1000, kMaxAttemptTested, INT_MAX}) {
    for (double u : {0.0, 0.5, kAlmostOne}) {
      Micros const d = delay_for(b, n, u);
      EXPECT_GE(d, Micros(0)) << "attempt " << n;
      EXPECT_LE(d, seconds_to_micros(2 * 315360000.0)) << "attempt " << n;
    }
  }
  EXPECT_EQ(delay_for(b, INT_MAX, 0.5), seconds_to_micros(315360000));
}

TEST(Backoff, AttemptNumbersBelowOneCountAsTheFirst) {
  Backoff const b;
  EXPECT_EQ(delay_for(b, 0, 0.5), delay_for(b, 1, 0.5));
  EXPECT_EQ(delay_for(b, -7, 0.5), delay_for(b, 1, 0.5));
  EXPECT_EQ(delay_for(b, INT_MIN, 0.0), delay_for(b, 1, 0.0));
}

TEST(Backoff, ZeroInitialDelayRetriesImmediatelyForEveryAttempt) {
  Backoff const b{.initial_s = 0, .multiplier = 2, .max_s = 3600, .jitter = 0.5};
  for (int n = 1; n <= kMaxAttemptTested; ++n) EXPECT_EQ(delay_for(b, n, kAlmostOne), Micros(0));
}

TEST(Backoff, MultiplierOfOneKeepsTheDelayConstant) {
  Backoff const b{.initial_s = 7.5, .multiplier = 1, .max_s = 3600, .jitter = 0};
  for (int n = 1; n <= kMaxAttemptTested; ++n) EXPECT_EQ(delay_for(b, n, 0.3), Micros(7'500'000));
}

TEST(Backoff, InitialAboveTheCapIsCapped) {
  Backoff const b{.initial_s = 10, .multiplier = 2, .max_s = 10, .jitter = 0};
  EXPECT_EQ(delay_for(b, 1, 0.5), Micros(10'000'000));
  EXPECT_EQ(delay_for(b, 50, 0.5), Micros(10'000'000));
}

TEST(Backoff, ZeroJitterIgnoresTheRandomDraw) {
  Backoff const b{.initial_s = 2, .multiplier = 2, .max_s = 3600, .jitter = 0};
  EXPECT_EQ(delay_for(b, 3, 0.0), Micros(8'000'000));
  EXPECT_EQ(delay_for(b, 3, kAlmostOne), Micros(8'000'000));
}

TEST(Backoff, FullJitterSpansZeroToTwiceTheBase) {
  Backoff const b{.initial_s = 10, .multiplier = 2, .max_s = 3600, .jitter = 1};
  EXPECT_EQ(delay_for(b, 1, 0.0), Micros(0));
  EXPECT_EQ(delay_for(b, 1, 0.5), Micros(10'000'000));
  EXPECT_LE(delay_for(b, 1, kAlmostOne), Micros(20'000'000));
  EXPECT_GE(delay_for(b, 1, kAlmostOne), Micros(19'999'999));
}

TEST(Backoff, OutOfRangeDrawsAreClampedAndNeverGiveANegativeDelay) {
  Backoff const b{.initial_s = 10, .multiplier = 2, .max_s = 3600, .jitter = 1};
  EXPECT_EQ(delay_for(b, 1, -3.0), Micros(0));
  EXPECT_EQ(delay_for(b, 1, 5.0), Micros(20'000'000));
  EXPECT_EQ(delay_for(b, 1, std::nan("")), Micros(10'000'000));
}

// A stored job's Backoff is not re-validated; these values are out of range on purpose.
TEST(Backoff, UnvalidatedPolicyStillGivesADelayBetweenZeroAndAHundredYears) {
  Backoff const wild_jitter{.initial_s = 10, .multiplier = 2, .max_s = 3600, .jitter = 5};
  EXPECT_EQ(delay_for(wild_jitter, 1, 0.0), Micros(0));
  Backoff const huge{.initial_s = 1e300, .multiplier = 1e300, .max_s = 1e308, .jitter = 0.5};
  Micros const hundred_years = seconds_to_micros(100.0 * 365 * 86400);
  EXPECT_EQ(delay_for(huge, 1, 0.5), hundred_years);
  EXPECT_EQ(delay_for(huge, INT_MAX, kAlmostOne), hundred_years);
}

TEST(Backoff, FractionalSecondsRoundToTheNearestMicrosecond) {
  Backoff const b{.initial_s = 0.1, .multiplier = 1.5, .max_s = 3600, .jitter = 0};
  EXPECT_EQ(delay_for(b, 1, 0.5), Micros(100'000));
  EXPECT_EQ(delay_for(b, 2, 0.5), Micros(150'000));
  EXPECT_EQ(delay_for(b, 3, 0.5), Micros(225'000));
}

}  // namespace
}  // namespace corral::core
