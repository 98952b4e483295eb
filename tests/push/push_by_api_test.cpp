// Push delivery set by PATCH /api/v1/queues/{name}, followed by the running server without a
// restart: a queue that gains a push_url has its queued jobs and the next ones pushed; one whose
// push_url is cleared is pushed no more, and a worker fetches its jobs; a changed concurrency or
// URL applies to the next claims; the settings survive a restart; the config file's settings are
// shown and a PATCH overrides them.
#include "http/api_helpers.hpp"
#include "http/limits_support.hpp"
#include "push/push_endpoint.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

class PushByApi : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    auto const path = config_dir_.path() / "corral.toml";
    write_file(path, "[queues.filed]\npush_url = \"" + endpoint_.url("/filed") + "\"\npush_concurrency = 3\n");
    return {"--config", path.string()};
  }

  std::string enqueue_in(std::string const& queue, std::string const& reply = "json") {
    return enqueue_id(api(), {{"type", "t"}, {"queue", queue}, {"payload", {{"reply", reply}}}});
  }

  static bool pushed_to(PushEndpoint& endpoint, std::string const& id) {
    auto const all = endpoint.receiver().received();
    return std::any_of(all.begin(), all.end(), [&](auto const& r) { return r.header("x-corral-job") == id; });
  }

  void expect_completed(std::string const& id) {
    EXPECT_TRUE(wait_for_status(api(), id, "completed", kPushDeadline)) << json::serialize(get_job(api(), id));
  }

  PushEndpoint endpoint_;
  PushEndpoint other_;
  TempDir config_dir_;
};

TEST_F(PushByApi, APatchedPushUrlPushesTheQueuesJobsWithoutARestart) {
  auto const before = enqueue_in("later");
  auto const set = expect_json(patch_queue(api(), "later", {{"push_url", endpoint_.url()}}), 200);
  EXPECT_EQ(str(set, "push_url"), endpoint_.url());
  auto const after = enqueue_in("later");
  expect_completed(before);
  expect_completed(after);
  EXPECT_TRUE(pushed_to(endpoint_, before)) << "the job queued before the PATCH";
  EXPECT_TRUE(pushed_to(endpoint_, after));
  auto const job = get_job(api(), after);
  auto const& attempts = job.at("attempts").as_array();
  EXPECT_EQ(str(attempts[0].as_object(), "worker_id"), "push:127.0.0.1:" + std::to_string(endpoint_.receiver().port()));
}

TEST_F(PushByApi, AClearedPushUrlStopsPushesAndAWorkerFetchesTheQueuesJobs) {
  expect_json(patch_queue(api(), "stopped", {{"push_url", endpoint_.url()}}), 200);
  expect_completed(enqueue_in("stopped"));
  auto const cleared = expect_json(patch_queue(api(), "stopped", {{"push_url", nullptr}}), 200);
  EXPECT_TRUE(cleared.at("push_url").is_null());

  auto const id = enqueue_in("stopped");
  // A long-poll, so that a job given back by a push claim made as the PATCH committed still comes.
  auto const lease = fetch_one(api(), {{"queues", json::array{"stopped"}}, {"wait_s", 10}});
  EXPECT_EQ(lease.id, id);
  expect_json(complete(api(), lease), 200);
  EXPECT_FALSE(pushed_to(endpoint_, id)) << "not pushed after the PATCH";
  EXPECT_EQ(endpoint_.receiver().received().size(), 1u);
}

TEST_F(PushByApi, AChangedConcurrencyAppliesToTheNextClaims) {
  expect_json(patch_queue(api(), "held", {{"push_url", endpoint_.url()}, {"push_concurrency", 2}}), 200);
  std::vector<std::string> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(enqueue_in("held", "hold"));
  ASSERT_TRUE(wait_until(kPushDeadline, [&] { return endpoint_.in_flight() == 2; }));
  EXPECT_EQ(endpoint_.receiver().received().size(), 2u) << "the others wait for room";

  expect_json(patch_queue(api(), "held", {{"push_concurrency", 4}}), 200);
  EXPECT_TRUE(wait_until(kPushDeadline, [&] { return endpoint_.in_flight() == 4; }))
      << "in flight: " << endpoint_.in_flight();
  EXPECT_EQ(list_jobs(api(), "queue=held&status=queued").at("jobs").as_array().size(), 2u);
  endpoint_.open_gate();
  for (auto const& id : ids) expect_completed(id);
  EXPECT_EQ(endpoint_.most_in_flight(), 4);
}

TEST_F(PushByApi, AChangedUrlReceivesTheNextJobs) {
  expect_json(patch_queue(api(), "moved", {{"push_url", endpoint_.url()}}), 200);
  auto const first = enqueue_in("moved");
  expect_completed(first);
  expect_json(patch_queue(api(), "moved", {{"push_url", other_.url("/elsewhere")}}), 200);
  auto const second = enqueue_in("moved");
  expect_completed(second);
  EXPECT_TRUE(pushed_to(endpoint_, first));
  EXPECT_TRUE(pushed_to(other_, second));
  EXPECT_FALSE(pushed_to(endpoint_, second));
  ASSERT_EQ(other_.receiver().received().size(), 1u);
  EXPECT_EQ(other_.receiver().received()[0].target, "/elsewhere");
}

TEST_F(PushByApi, PushSettingsSetByPatchSurviveARestart) {
  expect_json(patch_queue(api(), "kept", {{"push_url", endpoint_.url()}, {"push_timeout_s", 5}}), 200);
  restart_server();
  auto const id = enqueue_in("kept");
  expect_completed(id);
  EXPECT_TRUE(pushed_to(endpoint_, id));
}

TEST_F(PushByApi, TheConfigFilesPushSettingsAreShownAndAPatchOverridesThem) {
  auto const queues = expect_json(api().get("/api/v1/queues"), 200).at("queues").as_array();
  auto const filed = std::find_if(queues.begin(), queues.end(), [](auto const& q) { return str(q.as_object(), "name") == "filed"; });
  ASSERT_NE(filed, queues.end()) << json::serialize(queues);
  EXPECT_EQ(str(filed->as_object(), "push_url"), endpoint_.url("/filed"));
  EXPECT_EQ(filed->as_object().at("push_concurrency"), json::value(3));
  EXPECT_EQ(filed->as_object().at("push_timeout_s").to_number<double>(), 30.0);
  expect_completed(enqueue_in("filed"));

  expect_json(patch_queue(api(), "filed", {{"push_url", nullptr}}), 200);
  auto const id = enqueue_in("filed");
  auto const lease = fetch_one(api(), {{"queues", json::array{"filed"}}, {"wait_s", 10}});
  EXPECT_EQ(lease.id, id);
  EXPECT_FALSE(pushed_to(endpoint_, id));
}

}  // namespace
}  // namespace corral::test
