// Rate limits and priority aging of a queue (rate_limit, priority_aging_per_s) through PATCH
// /api/v1/queues/{name}, GET /api/v1/queues and the config file's [queues.NAME], against the real
// binary (on PostgreSQL too, with CORRAL_TEST_BACKEND=postgres); the rate itself, counted by
// workers outside Corral.
#include "http/configured_api_test.hpp"
#include "http/limits_support.hpp"

namespace corral::test {
namespace {

using QueueFlow = ApiTest;

TEST_F(QueueFlow, PatchSetsAndClearsARateLimitAndAgingShownByGetQueues) {
  auto set = expect_json(
      patch_queue(api(), "partner", {{"rate_limit", {{"jobs", 50}, {"per_s", 1}}}, {"priority_aging_per_s", 0.5}}), 200);
  // The burst in effect is shown: unset, it is `jobs`.
  EXPECT_EQ(field(set, "rate_limit"), (json::value(json::object{{"jobs", 50}, {"per_s", 1}, {"burst", 50}})));
  EXPECT_EQ(field(set, "priority_aging_per_s"), json::value(0.5));
  auto info = queue_info(api(), "partner");
  EXPECT_EQ(field(info, "rate_limit"), (json::value(json::object{{"jobs", 50}, {"per_s", 1}, {"burst", 50}})));
  EXPECT_EQ(field(info, "priority_aging_per_s"), json::value(0.5));

  auto burst = expect_json(patch_queue(api(), "partner", {{"rate_limit", {{"jobs", 10}, {"per_s", 2.5}, {"burst", 3}}}}), 200);
  EXPECT_EQ(field(burst, "rate_limit"), (json::value(json::object{{"jobs", 10}, {"per_s", 2.5}, {"burst", 3}})));

  auto cleared = expect_json(patch_queue(api(), "partner", {{"rate_limit", nullptr}}), 200);
  EXPECT_EQ(field(cleared, "rate_limit"), json::value(nullptr));
  EXPECT_EQ(field(cleared, "priority_aging_per_s"), json::value(0.5)) << "a field left out stays";
  auto none = expect_json(patch_queue(api(), "partner", {{"priority_aging_per_s", nullptr}}), 200);
  EXPECT_EQ(field(none, "rate_limit"), json::value(nullptr));
  EXPECT_EQ(field(none, "priority_aging_per_s"), json::value(nullptr));
}

TEST_F(QueueFlow, AQueueWithoutThemShowsThemAsNull) {
  enqueue(api(), {{"type", "t"}, {"queue", "free"}});
  auto info = queue_info(api(), "free");
  EXPECT_EQ(field(info, "rate_limit"), json::value(nullptr));
  EXPECT_EQ(field(info, "priority_aging_per_s"), json::value(nullptr));
}

TEST_F(QueueFlow, PatchRefusesWhatIsNotARateLimitOrAnAgingRateAndWritesNothing) {
  for (auto const& body : {
           json::object{{"rate_limit", 5}},
           json::object{{"rate_limit", json::object{}}},
           json::object{{"rate_limit", {{"jobs", 5}}}},
           json::object{{"rate_limit", {{"per_s", 1}}}},
           json::object{{"rate_limit", {{"jobs", 0}, {"per_s", 1}}}},
           json::object{{"rate_limit", {{"jobs", 1.5}, {"per_s", 1}}}},
           json::object{{"rate_limit", {{"jobs", 5}, {"per_s", 0}}}},
           json::object{{"rate_limit", {{"jobs", 5}, {"per_s", 100000}}}},
           json::object{{"rate_limit", {{"jobs", 5}, {"per_s", 1}, {"burst", 0}}}},
           json::object{{"rate_limit", {{"jobs", 5}, {"per_s", 1}, {"brust", 5}}}},
           json::object{{"priority_aging_per_s", 0}},
           json::object{{"priority_aging_per_s", -1}},
           json::object{{"priority_aging_per_s", 1001}},
           json::object{{"priority_aging_per_s", "1"}},
       }) {
    EXPECT_TRUE(is_error(patch_queue(api(), "refused", body), 400, "invalid_argument")) << json::serialize(body);
  }
  EXPECT_TRUE(is_error(patch_queue(api(), "refused", {{"rate_limit", {{"jobs", 0}, {"per_s", 1}}}}), 400,
                       "invalid_argument", {"rate_limit.jobs"}));
  EXPECT_TRUE(is_error(patch_queue(api(), "refused", {{"rate_limit", {{"jobs", 5}, {"per_s", 1}, {"brust", 5}}}}), 400,
                       "invalid_argument", {"rate_limit.brust"}));
  EXPECT_TRUE(is_error(patch_queue(api(), "refused", {{"priority_aging_per_s", 0}}), 400, "invalid_argument",
                       {"priority_aging_per_s"}));
  // Nothing was written: the queue is unknown still.
  auto reply = expect_json(api().get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) EXPECT_NE(str(q.as_object(), "name"), "refused");
}

TEST_F(QueueFlow, TheRateLimitAndAgingSurviveARestart) {
  expect_json(patch_queue(api(), "kept", {{"rate_limit", {{"jobs", 2}, {"per_s", 1}}}, {"priority_aging_per_s", 3}}), 200);
  restart_server();
  auto info = queue_info(api(), "kept");
  EXPECT_EQ(field(info, "rate_limit"), (json::value(json::object{{"jobs", 2}, {"per_s", 1}, {"burst", 2}})));
  EXPECT_EQ(field(info, "priority_aging_per_s"), json::value(3));
}

TEST_F(QueueFlow, ARateLimitOfFiftyASecondHoldsWithinTenPercentOverTenSeconds) {
  // A bucket of five: a few tokens absorb the time between a token's arrival and the claim that
  // takes it, and the window holds at most five more than the rate allows.
  expect_json(patch_queue(api(), "partner", {{"rate_limit", {{"jobs", 50}, {"per_s", 1}, {"burst", 5}}}}), 200);
  constexpr int kJobs = 560;
  enqueue_many(api(), kJobs, "t", "partner");
  Executions seen;
  run_workers({server_.url()}, 8, "partner", kJobs, seen, std::chrono::seconds(60));
  EXPECT_EQ(seen.done(), kJobs);
  auto const in_ten_seconds = seen.started_within(std::chrono::seconds(10));
  EXPECT_GE(in_ten_seconds, 450) << "slower than the limit: are waiting fetches woken by the tokens?";
  EXPECT_LE(in_ten_seconds, 550);
}

class ConfiguredFlow : public ConfiguredApiTest {
  std::string config_toml() const override {
    return "[queues.conf]\nrate_limit = { jobs = 20, per_s = 2 }\npriority_aging_per_s = 0.25\n";
  }
};

TEST_F(ConfiguredFlow, TheConfigFilesRateLimitAndAgingApplyAtStart) {
  auto info = queue_info(api(), "conf");
  EXPECT_EQ(field(info, "rate_limit"), (json::value(json::object{{"jobs", 20}, {"per_s", 2}, {"burst", 20}})));
  EXPECT_EQ(field(info, "priority_aging_per_s"), json::value(0.25));
}

}  // namespace
}  // namespace corral::test
