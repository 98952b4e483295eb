// `corral stats` and `corral health` against the real server: tables for people, the reply as it
// came with --json, and health's exit code, which says the status (0 healthy, 5 degraded,
// 6 unhealthy) without colliding with the 1-4 of every client command.
#include "support/cli_fixture.hpp"
#include "support/cli_runner.hpp"
#include "support/has_substr.hpp"

#include <boost/json.hpp>

namespace corral::test {
namespace {

class StatsCommands : public CliTest {
 protected:
  // Leases a job of `queue` as worker w9 and fails it for good, through the API.
  void fail_one(std::string const& queue) {
    namespace json = boost::json;
    client::Client api(server_.url());
    auto fetched = api.post("/api/v1/fetch", json::object{{"queues", json::array{json::string(queue)}}, {"worker_id", "w9"}});
    ASSERT_EQ(fetched.status, 200) << fetched.body;
    auto const reply = fetched.json();
    auto const& job = reply.at("jobs").at(0);
    std::string const id(job.at("id").as_string());
    json::object error{{"code", "disk_full"}, {"message", "no room"}, {"retryable", false}};
    auto r = api.post("/api/v1/jobs/" + id + "/fail", json::object{{"lease_token", job.at("lease_token")}, {"error", error}});
    ASSERT_EQ(r.status, 200) << r.body;
  }
};

TEST_F(StatsCommands, StatsPrintTheCountsErrorsAndWorkersAndJsonForScripts) {
  enqueue({{"type", "render"}, {"queue", "gpu"}});
  fail_one("gpu");
  enqueue({{"type", "render"}, {"queue", "gpu"}});

  auto r = corral({"stats", "--queue", "gpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_substr(r.out, "success_rate  0%")) << r.out;
  EXPECT_TRUE(has_substr(r.out, "QUEUE  queued  scheduled")) << r.out;
  EXPECT_TRUE(has_substr(r.out, "disk_full")) << r.out;
  EXPECT_TRUE(has_substr(r.out, "no room")) << r.out;
  EXPECT_TRUE(has_substr(r.out, "w9")) << r.out;

  auto j = corral({"stats", "--json", "--window", "24h", "--type", "render"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  auto reply = json_reply(j);
  EXPECT_EQ(reply.at("window"), "24h");
  EXPECT_EQ(reply.at("failed").to_number<int>(), 1);
  EXPECT_EQ(reply.at("errors").at(0).at("code"), "disk_full");

  EXPECT_EQ(corral({"stats", "--window", "2h"}).exit_code, 2) << "a window the server does not keep";
}

TEST_F(StatsCommands, HealthExitsZeroOnlyWhenHealthy) {
  auto healthy = corral({"health"});
  EXPECT_EQ(healthy.exit_code, 0) << healthy.out << healthy.err;
  EXPECT_TRUE(has_substr(healthy.out, "status  healthy")) << healthy.out;

  enqueue({{"type", "render"}, {"queue", "gpu"}});
  fail_one("gpu");
  auto degraded = corral({"health"});
  EXPECT_EQ(degraded.exit_code, 5) << degraded.out << degraded.err;
  EXPECT_TRUE(has_substr(degraded.out, "success_rate")) << degraded.out;
  EXPECT_EQ(json_reply(corral({"health", "--json"})).at("status"), "degraded");
}

TEST_F(StatsCommands, HealthExitsSixWhenUnhealthyAndNamesTheQueue) {
  ASSERT_TRUE(server_.stop());
  server_.start({"--health-no-worker-s", "0"});
  enqueue({{"type", "render"}, {"queue", "forgotten"}});
  auto r = corral({"health"});
  EXPECT_EQ(r.exit_code, 6) << r.out << r.err;
  EXPECT_TRUE(has_substr(r.out, "queue_without_worker:forgotten")) << r.out;
  EXPECT_TRUE(has_substr(r.out, "start a worker for queue forgotten")) << r.out;
  auto j = corral({"health", "--json"});
  EXPECT_EQ(j.exit_code, 6);
  EXPECT_EQ(json_reply(j).at("status"), "unhealthy");

  EXPECT_EQ(run_cli({"health", "--server", unreachable_url()}).exit_code, 3) << "as every client command";
}

}  // namespace
}  // namespace corral::test
