#include "core/cron.hpp"

#include "core/time_zone.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace corral::core {
namespace {

TimePoint at(std::string const& rfc3339) {
  // Read by hand: date::parse trips -Wmaybe-uninitialized in g++ 12.
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  EXPECT_EQ(std::sscanf(rfc3339.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s), 6) << rfc3339;
  auto const day = date::sys_days{date::year{y} / mo / d};
  auto const t = day + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
  return TimePoint{std::chrono::duration_cast<Micros>(t.time_since_epoch())};
}

std::string text(std::optional<TimePoint> t) {
  if (!t) return "never";
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(date::sys_time<Micros>{t->time_since_epoch()}));
}

// The next tick of `cron` in `zone` after `after`, as RFC 3339 UTC text.
std::string next(std::string const& cron, std::string const& zone, std::string const& after) {
  auto spec = parse_cron(cron);
  EXPECT_TRUE(spec) << cron;
  auto tz = find_time_zone(zone);
  EXPECT_TRUE(tz) << zone;
  return text(next_tick(*spec, **tz, at(after)));
}

std::string error_of(std::string const& cron) {
  auto spec = parse_cron(cron);
  EXPECT_FALSE(spec) << cron;
  if (spec) return "";
  EXPECT_EQ(spec.error().code, Errc::invalid_argument);
  return spec.error().message;
}

TEST(Cron, FiveFieldsTickOnTheMinuteAndSixFieldsOnTheSecond) {
  EXPECT_EQ(next("* * * * *", "UTC", "2026-01-01T10:00:00Z"), "2026-01-01T10:01:00Z");
  EXPECT_EQ(next("* * * * * *", "UTC", "2026-01-01T10:00:00Z"), "2026-01-01T10:00:01Z");
  EXPECT_EQ(next("*/15 * * * * *", "UTC", "2026-01-01T10:00:59Z"), "2026-01-01T10:01:00Z");
  EXPECT_EQ(next("0 */6 * * *", "UTC", "2026-01-01T06:00:00Z"), "2026-01-01T12:00:00Z");
}

TEST(Cron, AnInstantBetweenSecondsTicksAtTheNextWholeSecond) {
  auto spec = parse_cron("* * * * * *");
  ASSERT_TRUE(spec);
  auto utc = find_time_zone("UTC");
  ASSERT_TRUE(utc);
  EXPECT_EQ(text(next_tick(*spec, **utc, at("2026-01-01T10:00:00Z") + Micros(400000))), "2026-01-01T10:00:01Z");
}

TEST(Cron, ListsRangesStepsAndNamesSelectTheirValues) {
  EXPECT_EQ(next("0 9-17/4 * * MON-fri", "UTC", "2026-01-02T13:00:00Z"), "2026-01-02T17:00:00Z");  // a Friday
  EXPECT_EQ(next("0 9-17/4 * * MON-fri", "UTC", "2026-01-02T17:00:00Z"), "2026-01-05T09:00:00Z");  // Monday
  EXPECT_EQ(next("0 0 1 jan,Jul *", "UTC", "2026-01-01T00:00:00Z"), "2026-07-01T00:00:00Z");
  EXPECT_EQ(next("30 5/10 * * *", "UTC", "2026-01-01T16:00:00Z"), "2026-01-02T05:30:00Z");
}

TEST(Cron, SevenAndZeroAreBothSunday) {
  EXPECT_EQ(next("0 0 * * 7", "UTC", "2026-01-01T00:00:00Z"), "2026-01-04T00:00:00Z");
  EXPECT_EQ(next("0 0 * * 0", "UTC", "2026-01-01T00:00:00Z"), "2026-01-04T00:00:00Z");
}

TEST(Cron, BothDayFieldsRestrictedMatchEitherAsVixieCronDoes) {
  // The 1st of the month or any Monday: 2026-06-01 is a Monday, the next one is the 8th.
  EXPECT_EQ(next("0 0 1 * MON", "UTC", "2026-05-26T00:00:00Z"), "2026-06-01T00:00:00Z");
  EXPECT_EQ(next("0 0 1 * MON", "UTC", "2026-06-01T00:00:00Z"), "2026-06-08T00:00:00Z");
  // One of them `*`: both must match (every Monday).
  EXPECT_EQ(next("0 0 * * MON", "UTC", "2026-06-01T00:00:00Z"), "2026-06-08T00:00:00Z");
}

TEST(Cron, MacrosStandForTheirExpressions) {
  EXPECT_EQ(next("@hourly", "UTC", "2026-01-01T10:30:00Z"), "2026-01-01T11:00:00Z");
  EXPECT_EQ(next("@daily", "UTC", "2026-01-01T10:30:00Z"), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@midnight", "UTC", "2026-01-01T10:30:00Z"), "2026-01-02T00:00:00Z");
  EXPECT_EQ(next("@weekly", "UTC", "2026-01-01T10:30:00Z"), "2026-01-04T00:00:00Z");
  EXPECT_EQ(next("@monthly", "UTC", "2026-01-01T10:30:00Z"), "2026-02-01T00:00:00Z");
  EXPECT_EQ(next("@yearly", "UTC", "2026-01-01T10:30:00Z"), "2027-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", "UTC", "2026-01-01T10:30:00Z"), "2027-01-01T00:00:00Z");
}

TEST(Cron, ADateThatNeverComesHasNoTick) {
  EXPECT_EQ(next("0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z"), "never");
  EXPECT_EQ(next("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z"), "2028-02-29T00:00:00Z");
}

TEST(Cron, ATimeZoneShiftsTheTicks) {
  EXPECT_EQ(next("0 9 * * *", "Europe/Berlin", "2026-01-10T12:00:00Z"), "2026-01-11T08:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "America/New_York", "2026-07-10T00:00:00Z"), "2026-07-10T13:00:00Z");
}

TEST(CronErrors, TheWrongNumberOfFieldsIsRefused) {
  EXPECT_NE(error_of("* * * *").find("has 4 fields"), std::string::npos);
  EXPECT_NE(error_of("* * * * * * *").find("has 7 fields"), std::string::npos);
  EXPECT_NE(error_of("").find("has 0 fields"), std::string::npos);
  EXPECT_NE(error_of("@often").find("has 1 fields"), std::string::npos);
}

TEST(CronErrors, EachErrorNamesItsFieldAndValue) {
  EXPECT_EQ(error_of("60 * * * *"), "minute: 60 is out of 0-59");
  EXPECT_EQ(error_of("0 24 * * *"), "hour: 24 is out of 0-23");
  EXPECT_EQ(error_of("0 0 0 * *"), "day of month: 0 is out of 1-31");
  EXPECT_EQ(error_of("0 0 * 13 *"), "month: 13 is out of 1-12");
  EXPECT_EQ(error_of("0 0 * * 8"), "day of week: 8 is out of 0-7");
  EXPECT_EQ(error_of("60 * * * * *"), "second: 60 is out of 0-59");
  EXPECT_EQ(error_of("0 0 * FOO *"), "month: FOO is not a number or a name");
  EXPECT_EQ(error_of("x * * * *"), "minute: x is not a number");
  EXPECT_EQ(error_of("5-1 * * * *"), "minute: 5-1 is a range that ends before it starts");
  EXPECT_EQ(error_of("*/0 * * * *"), "minute: */0 has a step that is not a positive number");
  EXPECT_EQ(error_of("*/ * * * *"), "minute: */ has a step that is not a positive number");
  EXPECT_EQ(error_of("1,,2 * * * *"), "minute: 1,,2 has an empty list item");
  EXPECT_EQ(error_of("-1 * * * *"), "minute: -1 is not a number");
}

TEST(TimeZone, UnknownNamesAreRefused) {
  for (auto name : {"Mars/Olympus", "", "../../etc/passwd", "/etc/localtime"}) {
    auto zone = find_time_zone(name);
    ASSERT_FALSE(zone) << name;
    EXPECT_EQ(zone.error().code, Errc::invalid_argument);
    EXPECT_NE(zone.error().message.find("unknown time zone"), std::string::npos);
  }
}

// Daylight saving, as Vixie cron handles it: a skipped local time runs once at the end of the
// gap; a repeated one runs once, at its first occurrence, unless the hour field is `*`.

TEST(CronDst, NewYorkSpringForwardRunsASkippedTimeOnceAtTheEndOfTheGap) {
  // 2026-03-08: 02:00 EST becomes 03:00 EDT (07:00Z); 02:30 does not exist that day.
  EXPECT_EQ(next("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z"), "2026-03-08T07:00:00Z");
  EXPECT_EQ(next("30 2 * * *", "America/New_York", "2026-03-08T07:00:00Z"), "2026-03-09T06:30:00Z");
  // Times after the gap are where they always are.
  EXPECT_EQ(next("30 3 * * *", "America/New_York", "2026-03-07T12:00:00Z"), "2026-03-08T07:30:00Z");
  // Several skipped ticks collapse into one.
  EXPECT_EQ(next("*/20 * * * *", "America/New_York", "2026-03-08T06:40:00Z"), "2026-03-08T07:00:00Z");
  EXPECT_EQ(next("*/20 * * * *", "America/New_York", "2026-03-08T07:00:00Z"), "2026-03-08T07:20:00Z");
}

TEST(CronDst, NewYorkFallBackRunsAFixedTimeOnce) {
  // 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00Z); 01:30 happens at 05:30Z and at 06:30Z.
  EXPECT_EQ(next("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z"), "2026-11-01T05:30:00Z");
  EXPECT_EQ(next("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z"), "2026-11-02T06:30:00Z");
}

TEST(CronDst, NewYorkFallBackRunsAnHourlyJobEveryRealHour) {
  EXPECT_EQ(next("0 * * * *", "America/New_York", "2026-11-01T04:30:00Z"), "2026-11-01T05:00:00Z");  // 01:00 EDT
  EXPECT_EQ(next("0 * * * *", "America/New_York", "2026-11-01T05:00:00Z"), "2026-11-01T06:00:00Z");  // 01:00 EST
  EXPECT_EQ(next("0 * * * *", "America/New_York", "2026-11-01T06:00:00Z"), "2026-11-01T07:00:00Z");  // 02:00 EST
  // Within the repeated hour, ticks come in real-time order.
  EXPECT_EQ(next("*/30 * * * *", "America/New_York", "2026-11-01T05:10:00Z"), "2026-11-01T05:30:00Z");
  EXPECT_EQ(next("*/30 * * * *", "America/New_York", "2026-11-01T05:30:00Z"), "2026-11-01T06:00:00Z");
}

TEST(CronDst, BerlinSpringForwardRunsASkippedTimeOnceAtTheEndOfTheGap) {
  // 2026-03-29: 02:00 CET becomes 03:00 CEST (01:00Z).
  EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z"), "2026-03-29T01:00:00Z");
  EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z"), "2026-03-30T00:30:00Z");
  EXPECT_EQ(next("*/30 * * * *", "Europe/Berlin", "2026-03-29T00:45:00Z"), "2026-03-29T01:00:00Z");
  EXPECT_EQ(next("*/30 * * * *", "Europe/Berlin", "2026-03-29T01:00:00Z"), "2026-03-29T01:30:00Z");
}

TEST(CronDst, BerlinAutumnRunsAFixedTimeOnce) {
  // 2026-10-25: 03:00 CEST becomes 02:00 CET (01:00Z); 02:30 happens at 00:30Z and at 01:30Z.
  EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z"), "2026-10-25T00:30:00Z");
  EXPECT_EQ(next("30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z"), "2026-10-26T01:30:00Z");
  EXPECT_EQ(next("30 * * * *", "Europe/Berlin", "2026-10-25T00:30:00Z"), "2026-10-25T01:30:00Z");
}

}  // namespace
}  // namespace corral::core
