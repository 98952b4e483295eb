// [schedules.NAME]: the schedules the server saves at start, read and checked.
#include "config/schedule_settings.hpp"

#include "support/has_substr.hpp"

#include <gtest/gtest.h>

namespace corral::config {
namespace {

using test::has_substr;

TEST(ConfigSchedules, ReadsEveryKeyAndDefaultsTheOthers) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, R"(
[schedules.nightly-report]
cron = "0 2 * * *"
timezone = "Europe/Berlin"
job = '{"type":"report.generate"}'
overlap = "skip"
catch_up = "one"
paused = true
[schedules.hourly]
cron = "@hourly"
job = '{"type":"t"}'
)", "corral.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(cfg.schedules.at("nightly-report"),
            (ScheduleSettings{"0 2 * * *", "Europe/Berlin", R"({"type":"report.generate"})", "skip", "one", true}));
  EXPECT_EQ(cfg.schedules.at("hourly"), (ScheduleSettings{"@hourly", "UTC", R"({"type":"t"})", "allow", "none", false}));
}

TEST(ConfigSchedules, BadNamesKeysAndValuesAreRefusedNamingThem) {
  for (auto const& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[schedules.s]\ncron = \"61 * * * *\"\njob = '{}'", "schedules.s.cron: minute: 61 is out of 0-59"},
           {"[schedules.s]\ncron = \"* * * * *\"\njob = '{}'\ntimezone = \"Mars/Olympus\"", "schedules.s.timezone: unknown time zone"},
           {"[schedules.s]\ncron = \"* * * * *\"\njob = '{}'\noverlap = \"never\"", "schedules.s.overlap: must be allow or skip"},
           {"[schedules.s]\ncron = \"* * * * *\"\njob = '{}'\ncatch_up = \"all\"", "schedules.s.catch_up: must be none or one"},
           {"[schedules.s]\njob = '{}'", "schedules.s.cron is required"},
           {"[schedules.s]\ncron = \"* * * * *\"", "schedules.s.job is required"},
           {"[schedules.s]\ncron = \"* * * * *\"\njob = '{}'\nevery = 5", "unknown setting schedules.s.every"},
           {"[schedules.\"bad name\"]\ncron = \"* * * * *\"\njob = '{}'", "schedules.bad name"},
       }) {
    ServerConfig cfg;
    auto const loaded = apply_toml(cfg, text, "corral.toml");
    ASSERT_FALSE(loaded) << text;
    EXPECT_TRUE(has_substr(loaded.error().message, expected)) << loaded.error().message;
  }
}

}  // namespace
}  // namespace corral::config
