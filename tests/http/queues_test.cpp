// GET /api/v1/queues (counts by state), pause and resume, and the probes at the root.
#include "http/api_helpers.hpp"

#include <map>

namespace corral::test {
namespace {

class Queues : public ApiTest {};
class Probes : public ApiTest {};

constexpr char const* kStates[] = {"queued", "scheduled", "running", "retrying", "completed", "failed", "cancelled", "waiting"};

// The entry of GET /queues for `name`; throws if it is not listed.
json::object queue_info(Client& api, std::string_view name) {
  auto reply = expect_json(api.get("/api/v1/queues"), 200);
  for (auto const& q : reply.at("queues").as_array()) {
    if (str(q.as_object(), "name") == name) return q.as_object();
  }
  throw std::runtime_error("queue " + std::string(name) + " not in " + json::serialize(reply));
}

// The counts of `name` as {state: n}, checking that every state is there.
std::map<std::string, std::int64_t> counts_of(Client& api, std::string_view name) {
  auto info = queue_info(api, name);
  std::map<std::string, std::int64_t> counts;
  auto const& c = info.at("counts").as_object();
  EXPECT_EQ(c.size(), std::size(kStates)) << json::serialize(c);
  for (auto state : kStates) counts[state] = c.contains(state) ? c.at(state).to_number<std::int64_t>() : -1;
  return counts;
}

Response pause(Client& api, std::string_view queue) { return api.post("/api/v1/queues/" + std::string(queue) + "/pause"); }
Response resume(Client& api, std::string_view queue) { return api.post("/api/v1/queues/" + std::string(queue) + "/resume"); }

TEST_F(Queues, CountsJobsByStateForEachQueue) {
  json::object in_q{{"type", "t"}, {"queue", "counted"}};
  expect_json(complete(api(), start_job(api(), in_q)), 200);
  expect_json(fail(api(), start_job(api(), in_q), /*retryable=*/false), 200);
  expect_json(fail(api(), start_job(api(), merged(in_q, {{"backoff", {{"initial_s", 3600}}}}))), 200);  // retrying
  expect_json(cancel(api(), enqueue_id(api(), in_q)), 200);
  start_job(api(), in_q);                                   // running
  enqueue(api(), merged(in_q, {{"delay_s", 3600}}));        // scheduled
  enqueue(api(), in_q);                                     // queued, twice
  enqueue(api(), in_q);
  enqueue(api(), {{"type", "t"}, {"queue", "other"}});

  auto info = queue_info(api(), "counted");
  EXPECT_EQ(field(info, "paused"), json::value(false));
  EXPECT_EQ(counts_of(api(), "counted"), (std::map<std::string, std::int64_t>{
                                             {"queued", 2}, {"scheduled", 1}, {"running", 1}, {"retrying", 1},
                                             {"completed", 1}, {"failed", 1}, {"cancelled", 1}, {"waiting", 0}}));
  EXPECT_EQ(counts_of(api(), "other")["queued"], 1);
  EXPECT_EQ(counts_of(api(), "other")["completed"], 0);
}

TEST_F(Queues, CountsFollowAJobThroughItsLife) {
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "life"}});
  EXPECT_EQ(counts_of(api(), "life")["queued"], 1);
  auto lease = fetch_one(api(), {{"queues", json::array{"life"}}});
  EXPECT_EQ(counts_of(api(), "life")["queued"], 0);
  EXPECT_EQ(counts_of(api(), "life")["running"], 1);
  expect_json(complete(api(), lease), 200);
  EXPECT_EQ(counts_of(api(), "life")["running"], 0);
  EXPECT_EQ(counts_of(api(), "life")["completed"], 1);
  ASSERT_EQ(api().del(job_path(id)).status, 204);
  EXPECT_EQ(counts_of(api(), "life")["completed"], 0);
}

TEST_F(Queues, APausedQueueHandsOutNothingButStillTakesJobs) {
  auto paused = expect_json(pause(api(), "held"), 200);
  EXPECT_EQ(str(paused, "name"), "held");
  EXPECT_EQ(field(paused, "paused"), json::value(true));
  EXPECT_TRUE(paused.contains("counts"));

  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "held"}});
  auto other = enqueue_id(api(), {{"type", "t"}, {"queue", "open"}});
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"held"}}, {"wait_s", 0.2}}).empty());
  EXPECT_EQ(ids_of(fetch(api(), {{"queues", json::array{"held", "open"}}, {"count", 5}})), std::vector{other});
  EXPECT_EQ(status_of(api(), id), "queued");
  EXPECT_EQ(field(queue_info(api(), "held"), "paused"), json::value(true));
  EXPECT_EQ(counts_of(api(), "held")["queued"], 1);
}

TEST_F(Queues, ResumingHandsTheJobToAFetchThatIsWaiting) {
  ASSERT_EQ(pause(api(), "held").status, 200);
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "held"}});
  Background waiting(server_.url(), [](Client& c) {
    return c.post("/api/v1/fetch", json::object{{"queues", json::array{"held"}}, {"wait_s", 60}, {"worker_id", "w"}});
  });
  ASSERT_TRUE(wait_for_parked(api(), 1));

  auto resumed = expect_json(resume(api(), "held"), 200);
  EXPECT_EQ(field(resumed, "paused"), json::value(false));
  EXPECT_EQ(ids_of(expect_json(waiting.reply(), 200).at("jobs").as_array()), std::vector{id});
  EXPECT_LT(waiting.took(), std::chrono::seconds(30));
}

TEST_F(Queues, APauseSurvivesARestart) {
  ASSERT_EQ(pause(api(), "held").status, 200);
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "held"}});
  restart_server();

  EXPECT_EQ(field(queue_info(api(), "held"), "paused"), json::value(true));
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"held"}}}).empty());
  ASSERT_EQ(resume(api(), "held").status, 200);
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"held"}}}).id, id);
}

TEST_F(Queues, AQueueWithoutJobsCanBePausedAndIsListed) {
  ASSERT_EQ(pause(api(), "empty").status, 200);
  auto info = queue_info(api(), "empty");
  EXPECT_EQ(field(info, "paused"), json::value(true));
  for (auto const& [state, n] : counts_of(api(), "empty")) EXPECT_EQ(n, 0) << state;
}

TEST_F(Queues, PauseAndResumeTakeNoBody) {
  auto paused = expect_json(api().request("POST", "/api/v1/queues/q/pause", "", ""), 200);
  EXPECT_EQ(field(paused, "paused"), json::value(true));
  auto resumed = expect_json(api().request("POST", "/api/v1/queues/q/resume", "", ""), 200);
  EXPECT_EQ(field(resumed, "paused"), json::value(false));
}

TEST_F(Queues, ABadQueueNameIs400) {
  EXPECT_TRUE(is_error(pause(api(), "no%20spaces"), 400, "invalid_argument", {"queue"}));
}

TEST_F(Probes, LivezAndReadyzAnswer200AtTheRoot) {
  EXPECT_EQ(api().get("/livez").status, 200);
  EXPECT_EQ(api().get("/readyz").status, 200);
  EXPECT_TRUE(is_error(api().get("/api/v1/livez"), 404, "not_found"));
}

}  // namespace
}  // namespace corral::test
