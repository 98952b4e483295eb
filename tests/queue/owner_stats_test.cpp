// Stats from an owner's jobs (queue/owner_stats.hpp), pure: each attempt counts as the event that
// recorded it counts in the rollups, the window and the query's queue and type bound what counts,
// and the queue list keeps each queue's settings but only the owner's counts.
#include "queue/owner_stats.hpp"

#include <gtest/gtest.h>

namespace corral::queue {
namespace {

using core::AttemptOutcome;
using core::JobState;

// 2026-12-06T10:30:00Z, and a time `s` seconds before it.
constexpr std::int64_t kNowS = 1'796'545'800;
core::TimePoint ago(std::int64_t s) { return core::from_unix_micros((kNowS - s) * 1'000'000); }

core::Attempt attempt(std::int64_t started_ago, std::int64_t ended_ago, AttemptOutcome outcome,
                      std::optional<std::string> code = std::nullopt) {
  core::Attempt a;
  a.started_at = ago(started_ago);
  a.ended_at = ago(ended_ago);
  a.outcome = outcome;
  if (code) a.error = core::JobError{*code, *code + " happened", true};
  return a;
}

api::Stats window_of(std::vector<OwnerJobRow> const& jobs, api::StatsQuery query = {}) {
  api::Stats s;
  s.window = query.window;
  s.now = ago(0);
  fill_window_from_jobs(s, jobs, query);
  return s;
}

TEST(OwnerStats, EachAttemptCountsAsItsEventsDo) {
  std::vector<OwnerJobRow> jobs{
      {"q", "t", JobState::failed, ago(100),
       {attempt(90, 80, AttemptOutcome::failed, "boom"), attempt(70, 60, AttemptOutcome::lease_expired),
        attempt(50, 40, AttemptOutcome::failed, "boom")}},
      {"q", "t", JobState::completed, ago(30), {attempt(20, 10, AttemptOutcome::completed)}},
      {"q", "t", JobState::failed, ago(30), {attempt(20, 10, AttemptOutcome::timed_out, "run_time_exceeded")}},
      {"q", "t", JobState::retrying, ago(-60), {attempt(20, 10, AttemptOutcome::failed, "boom")}},
  };
  auto const s = window_of(jobs);
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.failed, 1) << "only the last attempt of a failed job failed it for good; a timeout is not counted";
  EXPECT_EQ(s.run_time.at("t").count, 6);
  EXPECT_EQ(s.queue_wait.at("t").count, 3) << "the latest start of each job not due again since";
  ASSERT_EQ(s.errors.size(), 2u);
  EXPECT_EQ(s.errors[0].code, "boom");
  EXPECT_EQ(s.errors[0].count, 3) << "retried failures count too";
}

TEST(OwnerStats, OnlyTheWindowAndTheQueueAndTypeAskedForCount) {
  std::vector<OwnerJobRow> jobs{
      {"q", "t", JobState::completed, ago(7200), {attempt(7100, 7000, AttemptOutcome::completed, "old")}},
      {"q", "t", JobState::completed, ago(30), {attempt(20, 10, AttemptOutcome::completed)}},
      {"r", "u", JobState::completed, ago(30), {attempt(20, 10, AttemptOutcome::completed)}},
  };
  auto const hour = window_of(jobs);
  EXPECT_EQ(hour.completed, 2);
  EXPECT_TRUE(hour.errors.empty()) << "an error before the window is left out";
  api::StatsQuery day;
  day.window = api::StatsWindow::day;
  EXPECT_EQ(window_of(jobs, day).completed, 3);
  EXPECT_EQ(window_of(jobs, day).errors.size(), 1u);
  api::StatsQuery only_r;
  only_r.queue = "r";
  EXPECT_EQ(window_of(jobs, only_r).completed, 1);
  api::StatsQuery only_t;
  only_t.type = "t";
  EXPECT_EQ(window_of(jobs, only_t).run_time.count("u"), 0u);
}

TEST(OwnerStats, QueueInfosKeepTheSettingsAndCountTheOwnersJobsOnly) {
  std::vector<api::QueueInfo> all{{"a", true, {5, 0, 0, 0, 0, 0, 0}, {}, {}}, {"b", false, {9, 0, 0, 0, 0, 0, 0}, {}, {}}};
  all[0].limits.max_running = 3;
  std::map<CountKey, api::StateCounts> counts{{{"a", "t", 0}, {1, 0, 0, 0, 0, 0, 0}},
                                              {{"a", "u", 10}, {1, 0, 0, 0, 2, 0, 0}},
                                              {{"c", "t", 0}, {0, 0, 0, 0, 1, 0, 0}}};
  auto const out = owner_queue_infos(all, counts);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].name, "a");
  EXPECT_TRUE(out[0].paused);
  EXPECT_EQ(out[0].limits.max_running, 3);
  EXPECT_EQ(out[0].counts, (api::StateCounts{2, 0, 0, 0, 2, 0, 0}));
  EXPECT_EQ(out[1].name, "c") << "a queue the list does not hold yet: its jobs committed after it was read";
  EXPECT_FALSE(out[1].paused);
}

}  // namespace
}  // namespace corral::queue
