// Concurrency limits (max_running, max_running_per_key, concurrency_key), PATCH /api/v1/queues/
// {name} and start-by deadlines (start_by, start_within_s), against the
// real binary (on PostgreSQL too, with CORRAL_TEST_BACKEND=postgres).
#include "http/configured_api_test.hpp"
#include "http/limits_support.hpp"
#include "http/stream_reader.hpp"

namespace corral::test {
namespace {

using QueueLimits = ApiTest;
using StartBy = ApiTest;

json::object keyed(std::string const& queue, std::string const& key, int priority = 0) {
  return {{"type", "t"}, {"queue", queue}, {"concurrency_key", key}, {"priority", priority}};
}

TEST_F(QueueLimits, PatchSetsAndClearsAQueuesLimitsBeforeItsFirstJob) {
  auto set = expect_json(patch_queue(api(), "conv", {{"max_running", 3}, {"max_running_per_key", 1}}), 200);
  EXPECT_EQ(str(set, "name"), "conv");
  EXPECT_EQ(field(set, "max_running"), json::value(3));
  EXPECT_EQ(field(set, "max_running_per_key"), json::value(1));
  EXPECT_EQ(field(set, "paused"), json::value(false));
  EXPECT_EQ(field(queue_info(api(), "conv"), "max_running"), json::value(3));

  // A field left out stays; null clears.
  auto cleared = expect_json(patch_queue(api(), "conv", {{"max_running", nullptr}}), 200);
  EXPECT_EQ(field(cleared, "max_running"), json::value(nullptr));
  EXPECT_EQ(field(cleared, "max_running_per_key"), json::value(1));
  auto info = queue_info(api(), "conv");
  EXPECT_EQ(field(info, "max_running"), json::value(nullptr));
  EXPECT_EQ(field(info, "max_running_per_key"), json::value(1));
}

TEST_F(QueueLimits, AQueueWithoutLimitsShowsThemAsNull) {
  enqueue(api(), {{"type", "t"}, {"queue", "free"}});
  auto info = queue_info(api(), "free");
  EXPECT_EQ(field(info, "max_running"), json::value(nullptr));
  EXPECT_EQ(field(info, "max_running_per_key"), json::value(nullptr));
}

TEST_F(QueueLimits, LimitsSurviveARestart) {
  expect_json(patch_queue(api(), "kept", {{"max_running", 2}}), 200);
  restart_server();
  EXPECT_EQ(field(queue_info(api(), "kept"), "max_running"), json::value(2));
}

TEST_F(QueueLimits, PatchRefusesWhatIsNotALimit) {
  for (auto const& body : {json::object{}, json::object{{"max_running", 0}}, json::object{{"max_running", -1}},
                           json::object{{"max_running", 1.5}}, json::object{{"max_running", "3"}},
                           json::object{{"max_running_per_key", 1000001}}, json::object{{"max_runing", 3}}}) {
    EXPECT_TRUE(is_error(patch_queue(api(), "q", body), 400, "invalid_argument")) << json::serialize(body);
  }
  EXPECT_TRUE(is_error(patch_queue(api(), "q", {{"max_running", 0}}), 400, "invalid_argument", {"max_running"}));
  EXPECT_TRUE(is_error(api().request("PATCH", "/api/v1/queues/q", "[1]"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(api().request("PATCH", "/api/v1/queues/q", "{"), 400, "invalid_json"));
  EXPECT_TRUE(is_error(patch_queue(api(), "bad!name", {{"max_running", 1}}), 400, "invalid_argument", {"queue"}));
}

TEST_F(QueueLimits, TheJobShowsItsConcurrencyKeyAndAnInvalidOneIsRefused) {
  auto job = enqueue(api(), keyed("shown", "customer-42"));
  EXPECT_EQ(str(job, "concurrency_key"), "customer-42");
  EXPECT_EQ(str(get_job(api(), str(job, "id")), "concurrency_key"), "customer-42");
  EXPECT_EQ(field(enqueue(api()), "concurrency_key"), json::value(nullptr));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"concurrency_key", ""}}), 400,
                       "invalid_argument", {"concurrency_key"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"concurrency_key", 7}}), 400,
                       "invalid_argument", {"concurrency_key"}));
}

TEST_F(QueueLimits, AFetchStartsAnotherKeysJobRatherThanNothing) {
  expect_json(patch_queue(api(), "per", {{"max_running_per_key", 1}}), 200);
  auto a1 = enqueue_id(api(), keyed("per", "a", 10));
  auto a2 = enqueue_id(api(), keyed("per", "a", 10));
  auto b1 = enqueue_id(api(), keyed("per", "b", 0));
  auto plain = enqueue_id(api(), {{"type", "t"}, {"queue", "per"}, {"priority", -10}});
  json::object const from_per{{"queues", json::array{"per"}}};

  auto first = fetch_one(api(), from_per);
  EXPECT_EQ(first.id, a1);
  // a2 comes before b1 in priority order, but key a is at its limit.
  EXPECT_EQ(fetch_one(api(), from_per).id, b1);
  EXPECT_EQ(fetch_one(api(), from_per).id, plain) << "a job without a key is not held back by the per-key limit";
  EXPECT_TRUE(fetch(api(), from_per).empty());
  EXPECT_EQ(status_of(api(), a2), "queued");

  expect_json(complete(api(), first), 200);
  EXPECT_EQ(fetch_one(api(), from_per).id, a2);
}

TEST_F(QueueLimits, ABatchedFetchTakesNoMoreThanTheLimitsLeaveRoomFor) {
  expect_json(patch_queue(api(), "batched", {{"max_running", 3}, {"max_running_per_key", 2}}), 200);
  json::array jobs;
  for (int i = 0; i < 4; ++i) jobs.push_back(keyed("batched", "a"));
  for (int i = 0; i < 4; ++i) jobs.push_back(keyed("batched", "b"));
  enqueue_batch(api(), std::move(jobs));

  auto got = fetch(api(), {{"queues", json::array{"batched"}}, {"count", 10}});
  ASSERT_EQ(got.size(), 3u);
  std::map<std::string, int> by_key;
  for (auto const& j : got) ++by_key[str(j.as_object(), "concurrency_key")];
  EXPECT_EQ(by_key, (std::map<std::string, int>{{"a", 2}, {"b", 1}}));
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"batched"}}, {"count", 10}}).empty());
  EXPECT_EQ(num(queue_info(api(), "batched").at("counts").as_object(), "running"), 3);
}

TEST_F(QueueLimits, ALimitedQueueDoesNotHoldUpTheNextQueueOfAFetch) {
  expect_json(patch_queue(api(), "one", {{"max_running", 1}}), 200);
  enqueue_many(api(), 2, "t", "one");
  auto other = enqueue_id(api(), {{"type", "t"}, {"queue", "two"}});
  auto got = fetch(api(), {{"queues", json::array{"one", "two"}}, {"count", 5}});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(str(got[0].as_object(), "queue"), "one");
  EXPECT_EQ(str(got[1].as_object(), "id"), other);
}

TEST_F(QueueLimits, AWaitingFetchGetsTheNextJobWhenARunningOneEnds) {
  expect_json(patch_queue(api(), "single", {{"max_running", 1}}), 200);
  auto ids = enqueue_many(api(), 2, "t", "single");
  auto first = fetch_one(api(), {{"queues", json::array{"single"}}});
  Background waiting(server_.url(), [](Client& c) {
    return c.post("/api/v1/fetch", json::object{{"queues", json::array{"single"}}, {"wait_s", 30}, {"worker_id", "w2"}});
  });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  expect_json(complete(api(), first), 200);
  EXPECT_EQ(ids_of(expect_json(waiting.reply(), 200).at("jobs").as_array()), std::vector{ids[1]});
}

TEST_F(QueueLimits, RaisingALimitLetsWaitingJobsStart) {
  expect_json(patch_queue(api(), "raised", {{"max_running", 1}}), 200);
  enqueue_many(api(), 3, "t", "raised");
  fetch_one(api(), {{"queues", json::array{"raised"}}});
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"raised"}}}).empty());
  expect_json(patch_queue(api(), "raised", {{"max_running", nullptr}}), 200);
  EXPECT_EQ(fetch(api(), {{"queues", json::array{"raised"}}, {"count", 5}}).size(), 2u);
}

TEST_F(QueueLimits, AQueueLimitOfThreeIsNeverExceededWhile32WorkersFetch) {
  expect_json(patch_queue(api(), "limited", {{"max_running", 3}}), 200);
  constexpr int kJobs = 150;
  enqueue_many(api(), kJobs, "t", "limited");
  Executions seen;
  run_workers({server_.url()}, 32, "limited", kJobs, seen);
  EXPECT_EQ(seen.done(), kJobs);
  EXPECT_LE(seen.max_running(), 3);
  EXPECT_GE(seen.max_running(), 1);
}

TEST_F(QueueLimits, APerKeyLimitOfOneHoldsWhileOtherKeysFlow) {
  expect_json(patch_queue(api(), "customers", {{"max_running_per_key", 1}}), 200);
  constexpr int kJobs = 120;
  json::array jobs;
  // Key "big" has most of the work, ahead of the others in the queue.
  for (int i = 0; i < kJobs / 2; ++i) jobs.push_back(keyed("customers", "big"));
  for (int i = 0; i < kJobs / 2; ++i) jobs.push_back(keyed("customers", "c" + std::to_string(i % 6)));
  enqueue_batch(api(), std::move(jobs));
  Executions seen;
  run_workers({server_.url()}, 16, "customers", kJobs, seen);
  EXPECT_EQ(seen.done(), kJobs);
  for (auto const& key : {"big", "c0", "c1", "c2", "c3", "c4", "c5"}) EXPECT_LE(seen.max_of_key(key), 1) << key;
  EXPECT_GT(seen.max_running(), 1) << "other keys ran beside each other";
}

class ConfiguredLimits : public ConfiguredApiTest {
  std::string config_toml() const override { return "[queues.conf]\nmax_running = 2\nmax_running_per_key = 1\n"; }
};

TEST_F(ConfiguredLimits, TheConfigFilesLimitsApplyAtStartOverThoseOfThePatch) {
  auto info = queue_info(api(), "conf");
  EXPECT_EQ(field(info, "max_running"), json::value(2));
  EXPECT_EQ(field(info, "max_running_per_key"), json::value(1));
  expect_json(patch_queue(api(), "conf", {{"max_running", 5}}), 200);
  EXPECT_EQ(field(queue_info(api(), "conf"), "max_running"), json::value(5));
  restart_server();
  EXPECT_EQ(field(queue_info(api(), "conf"), "max_running"), json::value(2));
}

TEST_F(StartBy, AJobNotStartedInTimeIsCancelledAsExpiredWithItsEvent) {
  StreamReader stream(server_.url(), "/api/v1/events");
  ASSERT_TRUE(stream.wait_connected());
  auto job = enqueue(api(), {{"type", "t"}, {"queue", "nobody"}, {"start_within_s", 0.3}});
  auto const id = str(job, "id");
  EXPECT_GT(seconds_between(job, "created_at", "start_by"), 0.29);
  ASSERT_TRUE(wait_for_status(api(), id, "cancelled"));
  auto ended = get_job(api(), id);
  EXPECT_EQ(str(ended.at("error").as_object(), "code"), "expired");
  EXPECT_EQ(str(ended, "start_by"), str(job, "start_by"));
  EXPECT_TRUE(ended.at("attempts").as_array().empty());

  ASSERT_TRUE(stream.wait_for(1, "cancelled")) << stream.error();
  auto const event = data_of(stream.messages("cancelled").at(0));
  EXPECT_EQ(str(event, "job_id"), id);
  EXPECT_EQ(str(event.at("error").as_object(), "code"), "expired");
}

TEST_F(StartBy, AJobStartedInTimeIsNotCancelledLater) {
  auto lease = start_job(api(), {{"type", "t"}, {"start_within_s", 0.5}});
  auto const start_by = time_at(lease.job, "start_by");
  // Past its start_by, the running job is still running.
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    return std::chrono::system_clock::now().time_since_epoch() > std::chrono::microseconds(start_by + 200'000);
  }));
  EXPECT_EQ(status_of(api(), lease.id), "running");
  expect_json(complete(api(), lease), 200);
  EXPECT_EQ(status_of(api(), lease.id), "completed");
}

TEST_F(StartBy, AScheduledJobMustStartAfterItsRunAtAndBeforeItsStartBy) {
  auto job = enqueue(api(), {{"type", "t"}, {"queue", "later"}, {"delay_s", 0.2}, {"start_within_s", 0.6}});
  EXPECT_EQ(str(job, "status"), "scheduled");
  ASSERT_TRUE(wait_for_status(api(), str(job, "id"), "cancelled"));
  EXPECT_EQ(str(get_job(api(), str(job, "id")).at("error").as_object(), "code"), "expired");
}

TEST_F(StartBy, BadDeadlinesAreRefused) {
  auto refused = [&](json::object extra, std::string_view named) {
    return is_error(api().post("/api/v1/jobs", merged({{"type", "t"}}, extra)), 400, "invalid_argument", {named});
  };
  EXPECT_TRUE(refused({{"start_by", "2020-01-01T00:00:00Z"}}, "start_by"));
  EXPECT_TRUE(refused({{"start_by", "tomorrow"}}, "start_by"));
  EXPECT_TRUE(refused({{"start_within_s", 0}}, "start_within_s"));
  EXPECT_TRUE(refused({{"start_within_s", -1}}, "start_within_s"));
  EXPECT_TRUE(refused({{"start_within_s", 10}, {"delay_s", 20}}, "start_within_s"));
  EXPECT_TRUE(refused({{"start_within_s", 10}, {"start_by", "2999-01-01T00:00:00Z"}}, "start_within_s"));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch",
                                  json::object{{"jobs", json::array{json::object{{"type", "t"}},
                                                                    json::object{{"type", "t"}, {"start_within_s", 0}}}}}),
                       400, "invalid_argument", {"jobs[1]", "start_within_s"}));
}

TEST_F(StartBy, ABatchedJobCarriesItsStartBy) {
  auto jobs = enqueue_batch(api(), json::array{json::object{{"type", "t"}, {"start_by", "2999-01-01T00:00:00Z"}}});
  EXPECT_EQ(str(jobs.at(0).as_object(), "start_by"), "2999-01-01T00:00:00.000000Z");
}

}  // namespace
}  // namespace corral::test
