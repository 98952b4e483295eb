#include "wire/time_format.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace corral::wire {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;

core::TimePoint at(std::chrono::year_month_day date, core::Micros time_of_day) {
  return core::TimePoint(sys_days(date)) + time_of_day;
}

TEST(FormatRfc3339, WritesUtcWithSixFractionalDigitsAndZ) {
  EXPECT_EQ(format_rfc3339(core::TimePoint{}), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_rfc3339(at(2026y / 11 / 24, 14h + 40min + 11s + 123456us)), "2026-11-24T14:40:11.123456Z");
  EXPECT_EQ(format_rfc3339(at(2026y / 1 / 2, 3h + 4min + 5s + 7us)), "2026-01-02T03:04:05.000007Z");
}

TEST(FormatRfc3339, WritesInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_rfc3339(core::from_unix_micros(-1)), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_rfc3339(at(1900y / 3 / 1, 0us)), "1900-03-01T00:00:00.000000Z");
}

TEST(FormatRfc3339, FormattedTimesParseBackToTheSameInstant) {
  for (core::TimePoint t : {core::TimePoint{}, core::from_unix_micros(-1), at(2024y / 2 / 29, 23h + 59min + 59s),
                            at(0y / 1 / 1, 0us), at(9999y / 12 / 31, 23h + 59min + 59s + 999999us),
                            at(2026y / 11 / 24, 14h + 40min + 11s + 123456us)}) {
    SCOPED_TRACE(format_rfc3339(t));
    EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
  }
}

TEST(ParseRfc3339, AppliesAnyOffsetToGiveUtc) {
  core::TimePoint utc = at(2026y / 11 / 24, 14h + 40min + 11s);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11Z"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24T16:40:11+02:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24T09:10:11-05:30"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11+00:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11-00:00"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-25T14:39:11+23:59"), utc);
}

TEST(ParseRfc3339, OffsetsCarryAcrossDayMonthAndYear) {
  EXPECT_EQ(parse_rfc3339("2026-01-01T00:30:00+01:00"), at(2025y / 12 / 31, 23h + 30min));
  EXPECT_EQ(parse_rfc3339("2024-02-28T23:00:00-01:30"), at(2024y / 2 / 29, 30min));
}

TEST(ParseRfc3339, AcceptsLowercaseTAndZAndASpaceSeparator) {
  core::TimePoint utc = at(2026y / 11 / 24, 14h + 40min + 11s);
  EXPECT_EQ(parse_rfc3339("2026-11-24t14:40:11z"), utc);
  EXPECT_EQ(parse_rfc3339("2026-11-24 14:40:11Z"), utc);
}

TEST(ParseRfc3339, ReadsOneToNineFractionalDigitsTruncatedToMicroseconds) {
  core::TimePoint second = at(2026y / 11 / 24, 14h + 40min + 11s);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11.1Z"), second + 100000us);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11.000001Z"), second + 1us);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11.1234569Z"), second + 123456us);
  EXPECT_EQ(parse_rfc3339("2026-11-24T14:40:11.999999999+00:00"), second + 999999us);
}

TEST(ParseRfc3339, RejectsImpossibleDates) {
  for (char const* s : {"2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                        "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                        "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z"}) {
    EXPECT_EQ(parse_rfc3339(s), std::nullopt) << s;
  }
}

TEST(ParseRfc3339, RejectsOutOfRangeTimesAndOffsets) {
  for (char const* s : {"2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-12-31T23:59:60Z",
                        "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+02:60", "2026-01-01T00:00:00-99:00"}) {
    EXPECT_EQ(parse_rfc3339(s), std::nullopt) << s;
  }
}

TEST(ParseRfc3339, RejectsInstantsAnOffsetMovesOutOfYears0000To9999) {
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00+01:00"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:30:00-01:00"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00Z"), at(0y / 1 / 1, 0us));
}

TEST(ParseRfc3339, RejectsMalformedText) {
  for (char const* s : {"", "2026-11-24", "2026-11-24T14:40:11", "2026-11-24T14:40Z", "26-11-24T14:40:11Z",
                        "2026-1-24T14:40:11Z", "2026/11/24T14:40:11Z", "2026-11-24X14:40:11Z",
                        "2026-11-24T14:40:11.Z", "2026-11-24T14:40:11.1234567891Z", "2026-11-24T14:40:11+0200",
                        "2026-11-24T14:40:11+02", "2026-11-24T14:40:11ZZ", " 2026-11-24T14:40:11Z",
                        "2026-11-24T14:40:11Z ", "+2026-11-24T14:40:11Z", "2026-11-2aT14:40:11Z",
                        "2026-11-24T14:40:11,5Z", "2026-11-24T-4:40:11Z"}) {
    EXPECT_EQ(parse_rfc3339(s), std::nullopt) << '"' << s << '"';
  }
}

}  // namespace
}  // namespace corral::wire
