#include "core/schedule_tick.hpp"

#include "core/time_zone.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using std::chrono::seconds;

TimePoint t(std::int64_t unix_s) { return from_unix_micros(unix_s * 1000000); }

struct EverySecond : ::testing::Test {
  CronSpec spec = parse_cron("* * * * * *").value();
  date::time_zone const& utc = *find_time_zone("UTC").value();
};

TEST_F(EverySecond, ATickDueNowRunsAndTheNextIsOneSecondLater) {
  auto d = decide_tick(spec, utc, t(100), t(100) + Micros(2000), Overlap::allow, CatchUp::none, false);
  EXPECT_EQ(d.run, t(100));
  EXPECT_EQ(d.next_run_at, t(101));
}

TEST_F(EverySecond, ATickLateByLessThanTheGraceRunsAndSoDoTheOnesAfterIt) {
  auto d = decide_tick(spec, utc, t(100), t(130) + Micros(5), Overlap::allow, CatchUp::none, false);
  EXPECT_EQ(d.run, t(100));
  EXPECT_EQ(d.next_run_at, t(101));
}

TEST_F(EverySecond, AfterDowntimeNoneSkipsTheMissedTicksToTheFirstWithinTheGrace) {
  auto d = decide_tick(spec, utc, t(100), t(1000), Overlap::allow, CatchUp::none, false);
  EXPECT_EQ(d.run, std::nullopt);
  EXPECT_EQ(d.next_run_at, t(940));
}

TEST_F(EverySecond, AfterDowntimeOneRunsTheLatestMissedTickThenTheOnesWithinTheGrace) {
  auto d = decide_tick(spec, utc, t(100), t(1000), Overlap::allow, CatchUp::one, false);
  EXPECT_EQ(d.run, t(939));
  EXPECT_EQ(d.next_run_at, t(940));
}

TEST(ScheduleTick, NoneRunsNothingForATickLateByMoreThanTheGrace) {
  auto spec = parse_cron("0 2 * * *").value();
  auto const& utc = *find_time_zone("UTC").value();
  auto const due = t(86400 + 7200);   // 1970-01-02T02:00Z
  auto d = decide_tick(spec, utc, due, due + seconds(8 * 3600), Overlap::allow, CatchUp::none, false);
  EXPECT_EQ(d.run, std::nullopt);
  EXPECT_EQ(d.next_run_at, due + seconds(86400));
  auto late_a_little = decide_tick(spec, utc, due, due + seconds(30), Overlap::allow, CatchUp::none, false);
  EXPECT_EQ(late_a_little.run, due);
}

TEST(ScheduleTick, OneRunsTheLatestMissedTickOnceHoweverLate) {
  auto spec = parse_cron("0 2 * * *").value();
  auto const& utc = *find_time_zone("UTC").value();
  auto const due = t(86400 + 7200);
  auto d = decide_tick(spec, utc, due, due + seconds(3 * 86400 + 600), Overlap::allow, CatchUp::one, false);
  EXPECT_EQ(d.run, due + seconds(3 * 86400));
  EXPECT_EQ(d.next_run_at, due + seconds(4 * 86400));
}

TEST_F(EverySecond, OverlapSkipRunsNothingWhileThePreviousJobHasNotEnded) {
  auto d = decide_tick(spec, utc, t(100), t(100), Overlap::skip, CatchUp::none, true);
  EXPECT_EQ(d.run, std::nullopt);
  EXPECT_EQ(d.next_run_at, t(101));
  EXPECT_EQ(decide_tick(spec, utc, t(100), t(100), Overlap::allow, CatchUp::none, true).run, t(100));
  EXPECT_EQ(decide_tick(spec, utc, t(100), t(100), Overlap::skip, CatchUp::none, false).run, t(100));
}

TEST(ScheduleTick, ALeapDayScheduleIsDueAgainFourYearsLater) {
  auto spec = parse_cron("0 0 29 2 *").value();
  auto const& utc = *find_time_zone("UTC").value();
  auto d = decide_tick(spec, utc, t(951782400), t(951782400), Overlap::allow, CatchUp::none, false);   // 2000-02-29
  EXPECT_EQ(d.run, t(951782400));
  EXPECT_EQ(d.next_run_at, t(1078012800));   // 2004-02-29
}

TEST(ScheduleTick, TheKeyNamesTheScheduleAndTheTick) {
  EXPECT_EQ(tick_key("nightly", t(100)), "schedule:nightly:100000000");
  EXPECT_NE(tick_key("nightly", t(100)), tick_key("nightly", t(101)));
  EXPECT_NE(tick_key("a", t(100)), tick_key("b", t(100)));
}

TEST(ScheduleTick, OverlapAndCatchUpNamesRoundTrip) {
  EXPECT_EQ(parse_overlap("skip"), Overlap::skip);
  EXPECT_EQ(parse_overlap("allow"), Overlap::allow);
  EXPECT_EQ(parse_overlap("Skip"), std::nullopt);
  EXPECT_EQ(parse_catch_up("one"), CatchUp::one);
  EXPECT_EQ(parse_catch_up("none"), CatchUp::none);
  EXPECT_EQ(parse_catch_up("all"), std::nullopt);
  EXPECT_EQ(to_string(Overlap::skip), "skip");
  EXPECT_EQ(to_string(CatchUp::one), "one");
}

}  // namespace
}  // namespace corral::core
