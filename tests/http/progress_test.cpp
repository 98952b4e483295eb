// Progress people can trust, over HTTP: a type's declared stages and the job's eta_s in the job's
// JSON, and GET ?wait=S&progress=1, which also answers on a progress report.
#include "http/configured_api_test.hpp"

#include <memory>

namespace corral::test {
namespace {

// A server whose config declares the stages of type "video".
class Progress : public ConfiguredApiTest {
 protected:
  std::string config_toml() const override { return "[job_types.video]\nstages = [\"download\", \"render\"]\n"; }
};

json::object progress_body(json::object progress) { return {{"progress", std::move(progress)}}; }

std::vector<std::string> stage_statuses(json::object const& job) {
  std::vector<std::string> out;
  for (auto const& stage : job.at("stages").as_array()) out.push_back(str(stage.as_object(), "status"));
  return out;
}

TEST_F(Progress, AJobOfATypeWithStagesShowsThemAndEachStagesTimes) {
  auto const queued = enqueue(api(), {{"type", "video"}});
  EXPECT_EQ(queued.at("stages"), json::parse(R"([{"name":"download","status":"pending","started_at":null,"ended_at":null},
                                                 {"name":"render","status":"pending","started_at":null,"ended_at":null}])"));
  EXPECT_EQ(queued.at("eta_s"), json::value(nullptr));
  EXPECT_EQ(enqueue(api()).at("stages"), json::array{}) << "a type without stages";

  auto lease = start_job(api(), {{"type", "video"}});
  expect_json(heartbeat(api(), lease, progress_body({{"stage", "download"}})), 200);
  auto const rendering = expect_json(heartbeat(api(), lease, progress_body({{"stage", "render"}})), 200);
  EXPECT_EQ(stage_statuses(rendering), (std::vector<std::string>{"done", "running"}));
  auto const& download = rendering.at("stages").as_array()[0].as_object();
  EXPECT_EQ(field(download, "ended_at"), field(rendering.at("stages").as_array()[1].as_object(), "started_at"));
  EXPECT_EQ(str(rendering.at("progress").as_object(), "stage"), "render");

  auto const done = expect_json(complete(api(), lease), 200);
  EXPECT_EQ(stage_statuses(done), (std::vector<std::string>{"done", "done"}));
  EXPECT_EQ(field(done.at("stages").as_array()[1].as_object(), "ended_at"), field(done, "completed_at"));
  EXPECT_EQ(get_job(api(), lease.id), done);
}

TEST_F(Progress, AStageTheTypeDoesNotDeclareIsShownInProgressOnly) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto const job = expect_json(heartbeat(api(), lease, progress_body({{"stage", "warming up"}})), 200);
  EXPECT_EQ(str(job.at("progress").as_object(), "stage"), "warming up");
  EXPECT_EQ(stage_statuses(job), (std::vector<std::string>{"pending", "pending"}));
}

TEST_F(Progress, EtaIsANumberOnceReportsASecondApartShowProgressAndNullOnceTheJobEnds) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto const first = expect_json(heartbeat(api(), lease, progress_body({{"percent", 10}})), 200);
  EXPECT_EQ(first.at("eta_s"), json::value(nullptr)) << "one report tells no rate";
  // Reports at 50 % until one comes a second or more after the first: from then on a number.
  json::object latest;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    latest = expect_json(heartbeat(api(), lease, progress_body({{"percent", 50}})), 200);
    return !latest.at("eta_s").is_null();
  }));
  EXPECT_TRUE(latest.at("eta_s").is_number());
  EXPECT_GE(latest.at("eta_s").to_number<double>(), 0);
  EXPECT_TRUE(get_job(api(), lease.id).at("eta_s").is_number()) << "a get shows it too";
  EXPECT_EQ(expect_json(complete(api(), lease), 200).at("eta_s"), json::value(nullptr));
}

TEST_F(Progress, AWaitingGetWithProgressAnswersOnAProgressReport) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto waiting = std::make_unique<Background>(
      server_.url(), [id = lease.id](Client& c) { return c.get(job_path(id) + "?wait=60&progress=1"); });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  expect_json(heartbeat(api(), lease, progress_body({{"stage", "download"}, {"percent", 5}})), 200);

  auto const job = expect_json(waiting->reply(), 200);
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(str(job.at("progress").as_object(), "stage"), "download");
  EXPECT_EQ(stage_statuses(job), (std::vector<std::string>{"running", "pending"}));
  // Not the 60 s the wait allowed: it answered at the report.
  EXPECT_LT(waiting->took(), std::chrono::seconds(30));
}

TEST_F(Progress, AWaitingGetWithProgressStillAnswersAtTheJobsEnd) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto waiting = std::make_unique<Background>(
      server_.url(), [id = lease.id](Client& c) { return c.get(job_path(id) + "?wait=60&progress=1"); });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  ASSERT_EQ(complete(api(), lease).status, 200);
  EXPECT_EQ(str(expect_json(waiting->reply(), 200), "status"), "completed");
}

// A follower asks again with the updated_at of the reply in hand; a report that landed before its
// next poll reached the server answers that poll at once, not at the report after it.
TEST_F(Progress, AWaitingGetWithProgressAnswersAtOnceForAChangeAfterUpdatedAfter) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto const seen = get_job(api(), lease.id);
  auto const reported = expect_json(heartbeat(api(), lease, progress_body({{"percent", 40}})), 200);
  ASSERT_NE(str(reported, "updated_at"), str(seen, "updated_at"));

  auto asking = std::make_unique<Background>(server_.url(), [id = lease.id, after = str(seen, "updated_at")](Client& c) {
    return c.get(job_path(id) + "?wait=60&progress=1&updated_after=" + after);
  });
  auto const job = expect_json(asking->reply(), 200);
  // Not the 60 s the wait allowed, nor the next report (there is none).
  EXPECT_LT(asking->took(), std::chrono::seconds(30));
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(job.at("progress").as_object().at("percent").to_number<double>(), 40);
  EXPECT_EQ(str(job, "updated_at"), str(reported, "updated_at"));
}

TEST_F(Progress, AWaitingGetWithProgressAndTheLatestUpdatedAtWaitsForTheNextReport) {
  auto lease = start_job(api(), {{"type", "video"}});
  auto const seen = expect_json(heartbeat(api(), lease, progress_body({{"percent", 40}})), 200);
  auto waiting = std::make_unique<Background>(server_.url(), [id = lease.id, after = str(seen, "updated_at")](Client& c) {
    return c.get(job_path(id) + "?wait=60&progress=1&updated_after=" + after);
  });
  ASSERT_TRUE(wait_for_parked(api(), 1)) << "nothing changed after updated_after: it waits";
  expect_json(heartbeat(api(), lease, progress_body({{"percent", 60}})), 200);
  auto const job = expect_json(waiting->reply(), 200);
  EXPECT_EQ(job.at("progress").as_object().at("percent").to_number<double>(), 60);
}

TEST_F(Progress, ProgressWithoutAWaitIsRefused) {
  auto const id = enqueue_id(api(), {{"type", "video"}});
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?progress=1"), 400, "invalid_argument", {"progress", "wait"}));
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?wait=0&progress=1"), 400, "invalid_argument", {"progress"}));
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?wait=1&progress=yes"), 400, "invalid_argument", {"progress"}));
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?wait=1&updated_after=2026-11-24T15:08:27Z"), 400,
                       "invalid_argument", {"updated_after", "progress=1"}));
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?wait=1&progress=1&updated_after=soon"), 400, "invalid_argument",
                       {"updated_after", "RFC 3339"}));
}

}  // namespace
}  // namespace corral::test
