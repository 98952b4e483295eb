// The rules of a job's declared stages and of its estimated time left, through apply() as a worker's
// reports reach them, at explicit instants.
#include "core/progress_rules.hpp"

#include "core/enqueue_spec.hpp"
#include "core/transition_steps.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using namespace test;

JobTypeDefaults const kStagedType{.stages = {"download", "analyse", "render"}};

Job staged_running_job(TimePoint at = kT0) {
  Job job = must(make_job(EnqueueRequest{.type = "video"}, &kStagedType, "j1", 1, kT0));
  return fetched(std::move(job), "lease-1", at);
}

Event progress_report(ProgressUpdate update) {
  Event e = report(EventKind::heartbeat, "lease-1");
  e.progress = std::move(update);
  return e;
}

Event entering(std::string stage) {
  return progress_report(ProgressUpdate{.stage = FieldUpdate<std::string>(std::in_place, std::move(stage))});
}

Event at_percent(double percent) {
  return progress_report(ProgressUpdate{.percent = FieldUpdate<double>(std::in_place, percent)});
}

std::vector<StageStatus> statuses(Job const& job) {
  std::vector<StageStatus> out;
  for (auto const& stage : job.stages) out.push_back(stage.status);
  return out;
}

using SS = StageStatus;

TEST(Stages, AJobCarriesItsTypesStagesAllPendingFromEnqueue) {
  Job job = must(make_job(EnqueueRequest{.type = "video"}, &kStagedType, "j1", 1, kT0));
  ASSERT_EQ(job.stages.size(), 3u);
  EXPECT_EQ(job.stages[0], (Stage{.name = "download"}));
  EXPECT_EQ(job.stages[2].name, "render");
  EXPECT_EQ(statuses(job), (std::vector{SS::pending, SS::pending, SS::pending}));
  EXPECT_TRUE(must(make_job(EnqueueRequest{.type = "other"}, nullptr, "j2", 2, kT0)).stages.empty());
}

TEST(Stages, AReportNamingAStageStartsItAndEndsTheOnesBefore) {
  Job job = step(staged_running_job(), entering("download"), kT0 + seconds(1));
  EXPECT_EQ(statuses(job), (std::vector{SS::running, SS::pending, SS::pending}));
  EXPECT_EQ(job.stages[0].started_at, kT0 + seconds(1));

  job = step(job, entering("render"), kT0 + seconds(5));
  EXPECT_EQ(statuses(job), (std::vector{SS::done, SS::done, SS::running}));
  EXPECT_EQ(job.stages[0].ended_at, kT0 + seconds(5));
  EXPECT_EQ(job.stages[1].started_at, std::nullopt) << "a stage passed over never started";
  EXPECT_EQ(job.stages[1].ended_at, kT0 + seconds(5));
  EXPECT_EQ(job.stages[2].started_at, kT0 + seconds(5));
  EXPECT_EQ(job.progress->stage, "render");
}

TEST(Stages, ARepeatedStageKeepsItsStartAndGoingBackRedoesTheLaterOnes) {
  Job job = step(staged_running_job(), entering("analyse"), kT0 + seconds(1));
  job = step(job, entering("analyse"), kT0 + seconds(2));
  EXPECT_EQ(job.stages[1].started_at, kT0 + seconds(1));

  job = step(job, entering("download"), kT0 + seconds(3));
  EXPECT_EQ(statuses(job), (std::vector{SS::running, SS::pending, SS::pending}));
  EXPECT_EQ(job.stages[0].started_at, kT0 + seconds(3));
  EXPECT_EQ(job.stages[0].ended_at, std::nullopt);
  EXPECT_EQ(job.stages[1], (Stage{.name = "analyse"}));
}

TEST(Stages, AStageNotDeclaredIsFreeTextInProgressOnly) {
  Job job = step(staged_running_job(), entering("download"), kT0 + seconds(1));
  job = step(job, entering("warming up"), kT0 + seconds(2));
  EXPECT_EQ(job.progress->stage, "warming up");
  EXPECT_EQ(statuses(job), (std::vector{SS::running, SS::pending, SS::pending}));
}

TEST(Stages, CompleteEndsTheCurrentStageAndLeavesUnreachedOnesPending) {
  Job job = step(staged_running_job(), entering("analyse"), kT0 + seconds(1));
  job = step(job, report(EventKind::complete, "lease-1"), kT0 + seconds(4));
  EXPECT_EQ(statuses(job), (std::vector{SS::done, SS::done, SS::pending}));
  EXPECT_EQ(job.stages[1].ended_at, kT0 + seconds(4));
}

TEST(Stages, CompleteNamingTheLastStageRunsItThroughToItsEnd) {
  Job job = step(staged_running_job(), entering("analyse"), kT0 + seconds(1));
  Event done = report(EventKind::complete, "lease-1");
  done.progress = ProgressUpdate{.stage = FieldUpdate<std::string>(std::in_place, "render")};
  job = step(job, done, kT0 + seconds(4));
  EXPECT_EQ(statuses(job), (std::vector{SS::done, SS::done, SS::done}));
  EXPECT_EQ(job.stages[2].started_at, kT0 + seconds(4));
  EXPECT_EQ(job.stages[2].ended_at, kT0 + seconds(4));
}

TEST(Stages, ANewAttemptStartsTheStagesAfresh) {
  Job job = step(staged_running_job(), entering("analyse"), kT0 + seconds(1));
  job = step(job, report(EventKind::fail, "lease-1"), kT0 + seconds(2));
  EXPECT_EQ(statuses(job), (std::vector{SS::done, SS::running, SS::pending})) << "a failure shows where it stopped";
  job = step(job, due_event(), job.run_at);
  job = fetched(job, "lease-2", job.run_at);
  EXPECT_EQ(statuses(job), (std::vector{SS::pending, SS::pending, SS::pending}));
  EXPECT_EQ(job.stages[0].started_at, std::nullopt);
}

TEST(Eta, NullUntilTwoReportsAtLeastASecondApartShowProgress) {
  Job job = step(staged_running_job(), at_percent(10), kT0 + seconds(10));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(10)), std::nullopt) << "one sample";
  job = step(job, at_percent(11), kT0 + seconds(10) + Micros(500'000));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(11)), std::nullopt) << "half a second apart";
  job = step(job, at_percent(10), kT0 + seconds(11));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(11)), std::nullopt) << "a second apart, no more done than the first";
  job = step(job, at_percent(12), kT0 + seconds(11));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(11)), 44.0) << "a second apart, 2 % more done: 2 % a second";
}

TEST(Eta, ProjectsTheAverageRateSinceTheAttemptsFirstSample) {
  // 10 % at 10 s, 30 % at 20 s: 2 % a second, so the 70 % left take 35 s: the end is at 55 s.
  Job job = step(staged_running_job(), at_percent(10), kT0 + seconds(10));
  job = step(job, at_percent(30), kT0 + seconds(20));
  EXPECT_EQ(job.estimate.done_at, kT0 + seconds(55));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(20)), 35.0);
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(50)), 5.0) << "counted from the time asked";
  EXPECT_EQ(eta_seconds(job, kT0 + Micros(50'500'000)), 5.0) << "rounded up to whole seconds";
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(70)), 0.0) << "overdue is 0, never negative";
}

TEST(Eta, CurrentOverTotalCountsWhenThereIsNoPercent) {
  auto counted = [](double current) {
    return progress_report(ProgressUpdate{.current = FieldUpdate<double>(std::in_place, current),
                                          .total = FieldUpdate<double>(std::in_place, 200.0)});
  };
  Job job = step(staged_running_job(), counted(50), kT0 + seconds(1));
  job = step(job, counted(100), kT0 + seconds(3));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(3)), 4.0);   // 25 % in 2 s; 50 % left
}

TEST(Eta, ProgressGoingBackwardsStartsTheMeasureAgain) {
  Job job = step(staged_running_job(), at_percent(10), kT0 + seconds(1));
  job = step(job, at_percent(50), kT0 + seconds(2));
  ASSERT_TRUE(eta_seconds(job, kT0 + seconds(2)));
  job = step(job, at_percent(5), kT0 + seconds(3));
  EXPECT_EQ(eta_seconds(job, kT0 + seconds(3)), std::nullopt);
  EXPECT_EQ(job.estimate.first_at, kT0 + seconds(3));
}

TEST(Eta, NullOnceTheJobIsNotRunningAndMeasuredAfreshInTheNextAttempt) {
  Job job = step(staged_running_job(), at_percent(10), kT0 + seconds(1));
  job = step(job, at_percent(50), kT0 + seconds(2));
  Job const completed = step(job, report(EventKind::complete, "lease-1"), kT0 + seconds(3));
  EXPECT_EQ(eta_seconds(completed, kT0 + seconds(3)), std::nullopt);

  Job retried = step(job, report(EventKind::fail, "lease-1"), kT0 + seconds(3));
  EXPECT_EQ(eta_seconds(retried, kT0 + seconds(3)), std::nullopt);
  retried = fetched(step(retried, due_event(), retried.run_at), "lease-2", retried.run_at);
  EXPECT_EQ(retried.estimate, ProgressEstimate{});
}

TEST(Eta, DoneFractionIsPercentElseCurrentOverTotalClampedToOne) {
  EXPECT_EQ(done_fraction(Progress{.percent = 40, .current = 1, .total = 2}), 0.4);
  EXPECT_EQ(done_fraction(Progress{.current = 3, .total = 2}), 1.0);
  EXPECT_EQ(done_fraction(Progress{.current = 3, .total = 0}), std::nullopt);
  EXPECT_EQ(done_fraction(Progress{.stage = "x"}), std::nullopt);
}

}  // namespace
}  // namespace corral::core
