// GET /api/v1/stats against the real binary: the JSON of a known sequence of operations, exactly;
// the window after a restart; and the refusals of a bad query.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Stats : public ApiTest {};

json::object stats(Client& api, std::string const& query = "") {
  return expect_json(api.get("/api/v1/stats" + query), 200);
}

std::int64_t count_at(json::object const& s, std::string const& group, std::string const& name,
                      std::string const& state) {
  return s.at("counts").at(group).at(name).at(state).to_number<std::int64_t>();
}

void run_known_sequence(Client& api) {
  json::object const mail{{"type", "mail"}, {"queue", "out"}};
  expect_json(complete(api, start_job(api, mail, {{"worker_id", "w1"}})), 200);
  expect_json(fail(api, start_job(api, mail, {{"worker_id", "w1"}}), false, "smtp_down"), 200);
  expect_json(fail(api, start_job(api, mail, {{"worker_id", "w1"}}), false, "smtp_down"), 200);
  enqueue(api, {{"type", "sms"}, {"queue", "out"}, {"priority", "low"}});
}

void expect_known_window(json::object const& s) {
  EXPECT_EQ(num(s, "completed"), 1);
  EXPECT_EQ(num(s, "failed"), 2);
  EXPECT_NEAR(num(s, "success_rate"), 1.0 / 3, 1e-12);
  auto const& series = s.at("series").as_object();
  EXPECT_EQ(num(series, "step_s"), 60);
  auto const& points = series.at("points").as_array();
  ASSERT_EQ(points.size(), 60u);
  double completed = 0, failed = 0;
  for (auto const& p : points) {
    completed += num(p.as_object(), "completed");
    failed += num(p.as_object(), "failed");
  }
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(failed, 2);
  auto const& errors = s.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u) << json::serialize(errors);
  auto const& e = errors[0].as_object();
  EXPECT_EQ(str(e, "code"), "smtp_down");
  EXPECT_EQ(num(e, "count"), 2);
  EXPECT_EQ(json::serialize(e.at("types")), R"(["mail"])");
  time_at(e, "last_seen");
  EXPECT_EQ(num(s.at("run_time").at("mail").as_object(), "count"), 3);
  EXPECT_EQ(num(s.at("queue_wait").at("mail").as_object(), "count"), 3);
}

TEST_F(Stats, AKnownSequenceGivesExactlyItsStats) {
  run_known_sequence(api());
  auto s = stats(api());
  EXPECT_EQ(str(s, "window"), "1h");
  time_at(s, "generated_at");
  EXPECT_EQ(count_at(s, "queues", "out", "completed"), 1);
  EXPECT_EQ(count_at(s, "queues", "out", "failed"), 2);
  EXPECT_EQ(count_at(s, "queues", "out", "queued"), 1);
  EXPECT_EQ(count_at(s, "types", "sms", "queued"), 1);
  EXPECT_EQ(count_at(s, "priorities", "low", "queued"), 1);
  EXPECT_EQ(count_at(s, "priorities", "normal", "failed"), 2);
  expect_known_window(s);
  EXPECT_TRUE(s.at("oldest_ready_age_s").as_object().contains("out"));
  auto const& workers = s.at("workers").as_array();
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(str(workers[0].as_object(), "worker_id"), "w1");
  EXPECT_EQ(json::serialize(workers[0].at("queues")), R"(["out"])");
  EXPECT_EQ(num(workers[0].as_object(), "jobs_running"), 0);
  EXPECT_TRUE(s.at("anonymous_fetches").is_null());
  EXPECT_EQ(gauge(api(), "corral_workers_seen"), 1);

  auto week = stats(api(), "?window=7d&type=sms");
  EXPECT_EQ(num(week.at("series").as_object(), "step_s"), 3600);
  EXPECT_EQ(week.at("series").at("points").as_array().size(), 168u);
  EXPECT_EQ(week.at("counts").at("types").as_object().size(), 1u);
  EXPECT_TRUE(week.at("success_rate").is_null()) << "no sms job ended";
}

TEST_F(Stats, TheWindowHoldsAfterARestart) {
  run_known_sequence(api());
  restart_server();
  expect_known_window(stats(api()));
}

TEST_F(Stats, ABadQueryIsRefused) {
  EXPECT_TRUE(is_error(api().get("/api/v1/stats?window=2h"), 400, "invalid_argument", {"window"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/stats?queue=no%20spaces"), 400, "invalid_argument", {"queue"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/stats?limit=3"), 400, "invalid_argument", {"limit"}));
}

}  // namespace
}  // namespace corral::test
