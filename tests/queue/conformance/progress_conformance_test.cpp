// Declared stages, the estimate's samples, the get that also answers on progress, and retention
// per queue: the same behaviour on every backend.
#include "queue/conformance/queue_conformance.hpp"

#include <gtest/gtest.h>

namespace corral::test {
namespace {

using core::JobState;
using core::StageStatus;

core::ProgressUpdate entering(std::string stage) {
  return core::ProgressUpdate{.stage = core::FieldUpdate<std::string>(std::in_place, std::move(stage))};
}

queue::HeartbeatRequest progress_report(std::string token, core::ProgressUpdate update) {
  return queue::HeartbeatRequest{.lease_token = std::move(token), .progress = std::move(update)};
}

std::vector<StageStatus> statuses(core::Job const& job) {
  std::vector<StageStatus> out;
  for (auto const& stage : job.stages) out.push_back(stage.status);
  return out;
}

core::JobTypeDefaults const kVideo{.stages = {"download", "render"}};

core::EnqueueRequest video_request() {
  auto req = job_request();
  req.type = "video";
  return req;
}

TEST_P(QueueConformance, StageTimesAreKeptAsReportsMoveThroughTheStages) {
  reopen_with_types({{"video", kVideo}});
  enqueue(video_request());
  auto const leased = fetch_one();
  auto const token = *leased.lease_token;

  auto const downloading = must(run(svc().heartbeat(leased.id, progress_report(token, entering("download")))));
  EXPECT_EQ(statuses(downloading), (std::vector{StageStatus::running, StageStatus::pending}));
  auto const rendering = must(run(svc().heartbeat(leased.id, progress_report(token, entering("render")))));
  ASSERT_TRUE(rendering.stages[0].started_at && rendering.stages[0].ended_at && rendering.stages[1].started_at);
  EXPECT_LE(*rendering.stages[0].started_at, *rendering.stages[0].ended_at);
  EXPECT_EQ(rendering.stages[0].ended_at, rendering.stages[1].started_at);
  must(complete(leased.id, token));

  // What the store kept, read back as a reader sees it.
  auto const done = must(get(leased.id));
  EXPECT_EQ(statuses(done), (std::vector{StageStatus::done, StageStatus::done}));
  EXPECT_EQ(done.stages[0], rendering.stages[0]);
  EXPECT_EQ(done.stages[1].started_at, rendering.stages[1].started_at);
  EXPECT_EQ(done.stages[1].ended_at, done.completed_at);
}

TEST_P(QueueConformance, TheEstimatesSamplesAreKeptInTheRow) {
  reopen_with_types({{"video", kVideo}});
  enqueue(video_request());
  auto const leased = fetch_one();
  core::ProgressUpdate const tenth{.percent = core::FieldUpdate<double>(std::in_place, 10.0)};
  auto const first = must(run(svc().heartbeat(leased.id, progress_report(*leased.lease_token, tenth))));
  ASSERT_TRUE(first.estimate.first_at);
  EXPECT_EQ(first.estimate.first_fraction, 0.1);
  EXPECT_EQ(must(get(leased.id)).estimate, first.estimate);
}

TEST_P(QueueConformance, AWaitingGetWithProgressAnswersOnAProgressReport) {
  reopen_with_types({{"video", kVideo}});
  enqueue(video_request());
  auto const leased = fetch_one();
  auto waiting = spawn(svc().get(leased.id, queue::GetWait(kLongWait, true)));
  ASSERT_TRUE(parked(1));
  must(run(svc().heartbeat(leased.id, progress_report(*leased.lease_token, entering("download")))));

  auto const job = must(await(std::move(waiting)));
  EXPECT_EQ(job.status, JobState::running) << "answered on the report, not at the job's end";
  EXPECT_EQ(job.progress->stage, "download");
  EXPECT_EQ(job.stages[0].status, StageStatus::running);
}

TEST_P(QueueConformance, AWaitingGetWithoutProgressSleepsThroughProgressReports) {
  reopen_with_types({{"video", kVideo}});
  enqueue(video_request());
  auto const leased = fetch_one();
  auto waiting = spawn(svc().get(leased.id, kLongWait));
  ASSERT_TRUE(parked(1));
  must(run(svc().heartbeat(leased.id, progress_report(*leased.lease_token, entering("download")))));
  must(complete(leased.id, *leased.lease_token));

  EXPECT_EQ(must(await(std::move(waiting))).status, JobState::completed);
}

TEST_P(QueueConformance, EachQueueKeepsItsEndedJobsForItsOwnRetention) {
  close();
  options_.retention.all = {.completed = std::chrono::seconds(1), .failed = core::Micros(0)};
  options_.retention.queues["archive"] = {.completed = core::Micros(0), .failed = core::Micros(0)};
  options_.retention.queues["scratch"] = {.completed = std::chrono::seconds(1), .failed = std::chrono::seconds(1)};
  open();
  auto end = [&](std::string const& queue, bool succeed) {
    enqueue(job_request(queue));
    auto const leased = fetch_one(queue);
    if (succeed) {
      must(complete(leased.id, *leased.lease_token));
    } else {
      must(run(svc().fail(leased.id, queue::FailRequest{*leased.lease_token, core::JobError{"boom", "fatal", false}, {}})));
    }
    return leased.id;
  };
  auto const completed_default = end("default", true);
  auto const completed_archive = end("archive", true);
  auto const failed_default = end("default", false);
  auto const failed_scratch = end("scratch", false);

  auto gone = [&](std::string const& id) {
    auto r = get(id);
    return !r && r.error().code == core::Errc::not_found;
  };
  EXPECT_TRUE(wait_until(kDeadline, [&] { return gone(completed_default) && gone(failed_scratch); }))
      << "the global retention and a queue's shorter one both delete";
  EXPECT_EQ(must(get(completed_archive)).status, JobState::completed) << "a queue that keeps its jobs for ever";
  EXPECT_EQ(must(get(failed_default)).status, JobState::failed) << "the global retention of failed jobs keeps them";
}

}  // namespace
}  // namespace corral::test
