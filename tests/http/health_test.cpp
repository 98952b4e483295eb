// GET /api/v1/health against the real binary: each check turns degraded or unhealthy under the
// condition it names (its threshold set low by a setting) and back when the condition goes; the
// no-worker check names the queue, and a paused queue is exempt. The /metrics gauges follow.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

// The reply of GET /api/v1/health, whichever of 200 and 503 it is.
json::object health(Client& api) {
  auto r = api.get("/api/v1/health");
  if (r.status != 200 && r.status != 503) throw std::runtime_error("expected 200 or 503, got " + describe(r));
  auto body = expect_json(r, r.status);
  EXPECT_EQ(r.status == 503, str(body, "status") == "unhealthy") << describe(r);
  return body;
}

// The check named `name`; throws if there is none.
json::object check(json::object const& h, std::string const& name) {
  for (auto const& c : h.at("checks").as_array()) {
    if (str(c.as_object(), "name") == name) return c.as_object();
  }
  throw std::runtime_error("no check " + name + " in " + json::serialize(h));
}

std::string status_of_check(Client& api, std::string const& name) { return str(check(health(api), name), "status"); }

json::object in_queue(std::string const& queue) { return {{"type", "t"}, {"queue", queue}}; }
json::object from_queue(std::string const& queue, int count = 1) {
  return {{"queues", json::array{queue}}, {"count", count}};
}

class Health : public ApiTest {};

TEST_F(Health, AFreshServerIsHealthyAndEveryCheckSaysSo) {
  auto r = api().get("/api/v1/health");
  auto h = expect_json(r, 200);
  EXPECT_EQ(str(h, "status"), "healthy");
  for (auto const* name : {"success_rate", "expired_leases", "storage_writable", "commit_latency", "connections",
                           "long_polls"}) {
    auto c = check(h, name);
    EXPECT_EQ(str(c, "status"), "healthy") << name;
    EXPECT_FALSE(str(c, "message").empty()) << name;
    EXPECT_EQ(c.size(), 5u) << json::serialize(c) << ": name, status, value, threshold, message";
  }
  EXPECT_TRUE(is_error(api().get("/api/v1/health?verbose=1"), 400, "invalid_argument", {"verbose"}));
}

class NoWorker : public ApiTest {
  std::vector<std::string> server_args() const override { return {"--health-no-worker-s", "0"}; }
};

TEST_F(NoWorker, AQueueWithReadyWorkAndNoFetchIsUnhealthyByNameUntilFetchedOrPaused) {
  enqueue(api(), in_queue("lonely"));
  auto h = health(api());
  EXPECT_EQ(str(h, "status"), "unhealthy");
  auto c = check(h, "queue_without_worker:lonely");
  EXPECT_EQ(str(c, "status"), "unhealthy");
  EXPECT_TRUE(has_substr(str(c, "message"), "queue lonely")) << str(c, "message");
  EXPECT_TRUE(has_substr(str(c, "message"), "start a worker")) << str(c, "message");
  EXPECT_EQ(gauge(api(), "corral_queue_idle_with_work{queue=\"lonely\"}"), 1);

  fetch_one(api(), from_queue("lonely"));
  EXPECT_EQ(status_of_check(api(), "queue_without_worker:lonely"), "healthy") << "no ready work left";
  EXPECT_EQ(gauge(api(), "corral_queue_idle_with_work{queue=\"lonely\"}"), 0);

  enqueue(api(), in_queue("held"));
  EXPECT_EQ(status_of_check(api(), "queue_without_worker:held"), "unhealthy");
  expect_json(api().post("/api/v1/queues/held/pause"), 200);
  auto after = health(api());
  EXPECT_EQ(str(check(after, "queue_without_worker:held"), "status"), "healthy") << "a paused queue is exempt";
  EXPECT_NE(str(after, "status"), "unhealthy");
}

TEST_F(NoWorker, TheNoWorkerCheckHoldsAcrossARestart) {
  enqueue(api(), in_queue("lonely"));
  restart_server();
  EXPECT_EQ(status_of_check(api(), "queue_without_worker:lonely"), "unhealthy");
}

class Backlog : public ApiTest {
  std::vector<std::string> server_args() const override {
    return {"--health-max-ready", "1", "--health-max-ready-age-s", "0"};
  }
};

TEST_F(Backlog, ABacklogAndOldReadyWorkAreDegradedUntilWorkersTakeThem) {
  enqueue(api(), in_queue("busy"));
  enqueue(api(), in_queue("busy"));
  auto h = health(api());
  EXPECT_EQ(str(check(h, "ready_backlog:busy"), "status"), "degraded");
  EXPECT_EQ(num(check(h, "ready_backlog:busy"), "value"), 2);
  EXPECT_TRUE(has_substr(str(check(h, "ready_backlog:busy"), "message"), "queue busy has 2 ready jobs"));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return status_of_check(api(), "oldest_ready:busy") == "degraded"; }));
  EXPECT_EQ(str(health(api()), "status"), "degraded");

  fetch(api(), from_queue("busy", 2));
  h = health(api());
  EXPECT_EQ(str(check(h, "ready_backlog:busy"), "status"), "healthy");
  EXPECT_EQ(str(check(h, "oldest_ready:busy"), "status"), "healthy");
  EXPECT_EQ(str(h, "status"), "healthy");
}

class Outcomes : public ApiTest {
  std::vector<std::string> server_args() const override {
    return {"--health-min-success-rate", "0.6", "--health-max-expired-leases", "0"};
  }
};

TEST_F(Outcomes, ALowSuccessRateIsDegradedUntilEnoughJobsComplete) {
  expect_json(fail(api(), start_job(api()), /*retryable=*/false), 200);
  auto c = check(health(api()), "success_rate");
  EXPECT_EQ(str(c, "status"), "degraded");
  EXPECT_EQ(num(c, "value"), 0);
  EXPECT_TRUE(has_substr(str(c, "message"), "only 0% of the 1 jobs")) << str(c, "message");
  expect_json(complete(api(), start_job(api())), 200);
  expect_json(complete(api(), start_job(api())), 200);
  c = check(health(api()), "success_rate");
  EXPECT_EQ(str(c, "status"), "healthy") << "2 of 3 completed, above 0.6";
}

TEST_F(Outcomes, ExpiredLeasesAreDegraded) {
  enqueue(api());
  fetch_one(api(), {{"queues", json::array{"default"}}, {"lease_s", 1}});
  ASSERT_TRUE(wait_until(kDeadline, [&] { return status_of_check(api(), "expired_leases") == "degraded"; }));
  auto c = check(health(api()), "expired_leases");
  EXPECT_EQ(num(c, "value"), 1);
  EXPECT_TRUE(has_substr(str(c, "message"), "check the workers")) << str(c, "message");
}

class Limits : public ApiTest {
  std::vector<std::string> server_args() const override {
    return {"--health-max-commit-latency-s", "0", "--health-max-connection-use", "0", "--max-connections", "50"};
  }
};

TEST_F(Limits, SlowCommitsAndConnectionUseAreDegradedPastTheirThresholds) {
  enqueue(api());
  auto h = health(api());
  EXPECT_EQ(str(check(h, "commit_latency"), "status"), "degraded") << "every commit takes longer than 0 s";
  auto conns = check(h, "connections");
  EXPECT_EQ(str(conns, "status"), "degraded");
  EXPECT_TRUE(has_substr(str(conns, "message"), "of 50 connections open")) << str(conns, "message");
  EXPECT_EQ(str(check(h, "long_polls"), "status"), "healthy");
  EXPECT_EQ(str(h, "status"), "degraded");
}

}  // namespace
}  // namespace corral::test
