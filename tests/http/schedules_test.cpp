// Recurring schedules over the API: create, read, change, pause, resume and delete; the errors
// of a bad body; and the jobs the ticks enqueue: one per tick, never two, across a SIGKILL and a
// restart, none while paused or while the previous one runs with overlap skip.
#include "http/api_helpers.hpp"

#include "http/configured_api_test.hpp"
#include "support/list_all_jobs.hpp"

#include <algorithm>
#include <set>

namespace corral::test {
namespace {

class Schedules : public ApiTest {};

inline std::string schedule_path(std::string_view name) { return "/api/v1/schedules/" + std::string(name); }

// A schedule every second whose jobs go to queue `name`.
json::object every_second(std::string const& name, json::object extra = {}) {
  return merged({{"name", name}, {"cron", "* * * * * *"}, {"job", {{"type", "tick"}, {"queue", name}}}}, extra);
}

json::object create(Client& api, json::object body) { return expect_json(api.post("/api/v1/schedules", body), 201); }

// The ticks (scheduled_for, unix microseconds) of the jobs the schedule `name` enqueued in queue
// `name`, in order; checks each job names its schedule.
std::vector<std::int64_t> ticks_of(Client& api, std::string const& name) {
  std::vector<std::int64_t> ticks;
  for (auto const& job : list_all_jobs(api, name)) {
    EXPECT_EQ(job.schedule, name);
    EXPECT_TRUE(job.scheduled_for) << job.id;
    if (job.scheduled_for) ticks.push_back(core::to_unix_micros(*job.scheduled_for));
  }
  std::sort(ticks.begin(), ticks.end());
  return ticks;
}

// True once the schedule `name` has enqueued at least `n` jobs.
bool wait_for_ticks(Client& api, std::string const& name, std::size_t n) {
  return wait_until(kDeadline, [&] { return list_all_jobs(api, name).size() >= n; });
}

// The number of runs of consecutive seconds in `ticks` (1: no gap); fails on a tick that is not
// a whole second or that comes twice.
std::size_t runs_of_seconds(std::vector<std::int64_t> const& ticks) {
  std::size_t runs = ticks.empty() ? 0 : 1;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    EXPECT_EQ(ticks[i] % 1'000'000, 0) << "tick " << ticks[i] << " is not a whole second";
    if (i == 0) continue;
    EXPECT_NE(ticks[i], ticks[i - 1]) << "two jobs for the tick " << ticks[i];
    if (ticks[i] - ticks[i - 1] != 1'000'000) ++runs;
  }
  return runs;
}

TEST_F(Schedules, ACreatedScheduleShowsItsNextRunAndReadsBackTheSame) {
  auto s = create(api(), {{"name", "nightly"}, {"cron", "0 9 * * *"}, {"timezone", "Asia/Tokyo"},
                          {"job", {{"type", "report.generate"}, {"payload", {{"report", 42}}}}}});
  EXPECT_EQ(str(s, "name"), "nightly");
  EXPECT_EQ(str(s, "cron"), "0 9 * * *");
  EXPECT_EQ(str(s, "timezone"), "Asia/Tokyo");
  EXPECT_EQ(field(s, "job"), (json::value{{"type", "report.generate"}, {"payload", {{"report", 42}}}}));
  EXPECT_EQ(str(s, "overlap"), "allow");
  EXPECT_EQ(str(s, "catch_up"), "none");
  EXPECT_EQ(field(s, "paused"), json::value(false));
  EXPECT_EQ(field(s, "last_tick_at"), json::value(nullptr));
  EXPECT_EQ(field(s, "last_job_id"), json::value(nullptr));
  // 09:00 in Tokyo (UTC+9, no daylight saving) is midnight UTC.
  EXPECT_NE(str(s, "next_run_at").find("T00:00:00.000000Z"), std::string::npos) << str(s, "next_run_at");

  EXPECT_EQ(expect_json(api().get(schedule_path("nightly")), 200), s);
  auto all = expect_json(api().get("/api/v1/schedules"), 200);
  ASSERT_EQ(all.at("schedules").as_array().size(), 1u);
  EXPECT_EQ(all.at("schedules").as_array()[0], s);
}

TEST_F(Schedules, ABadBodyIsRefusedNamingTheField) {
  auto refused = [&](json::object body, std::vector<std::string_view> named) {
    return is_error(api().post("/api/v1/schedules", body), 400, "invalid_argument", named);
  };
  EXPECT_TRUE(refused(every_second("s", {{"cron", "61 * * * *"}}), {"cron", "minute", "61"}));
  EXPECT_TRUE(refused(every_second("s", {{"cron", "* * *"}}), {"cron", "3 fields"}));
  EXPECT_TRUE(refused(every_second("s", {{"timezone", "Mars/Olympus"}}), {"timezone", "Mars/Olympus"}));
  EXPECT_TRUE(refused(every_second("s", {{"job", {{"type", "t"}, {"priority", "urgent"}}}}), {"job.priority"}));
  EXPECT_TRUE(refused(every_second("s", {{"job", {{"queue", "q"}}}}), {"job.type"}));
  EXPECT_TRUE(refused(every_second("s", {{"job", {{"type", "t"}, {"max_attempts", 0}}}}), {"job.max_attempts"}));
  EXPECT_TRUE(refused(every_second("s", {{"job", {{"type", "t"}, {"idempotency_key", "k"}}}}), {"job.idempotency_key"}));
  EXPECT_TRUE(refused(every_second("s", {{"job", "t"}}), {"job"}));
  EXPECT_TRUE(refused(every_second("s", {{"overlap", "never"}}), {"overlap"}));
  EXPECT_TRUE(refused(every_second("s", {{"catch_up", "all"}}), {"catch_up"}));
  EXPECT_TRUE(refused(every_second("s", {{"every", 5}}), {"every"}));
  EXPECT_TRUE(refused({{"cron", "* * * * *"}, {"job", {{"type", "t"}}}}, {"name"}));
  EXPECT_TRUE(refused(every_second("bad name"), {"name"}));
  EXPECT_EQ(expect_json(api().get("/api/v1/schedules"), 200).at("schedules").as_array().size(), 0u);
}

TEST_F(Schedules, ANameIsTakenOnceAndAnUnknownOneIsNotFound) {
  create(api(), every_second("once", {{"paused", true}}));
  EXPECT_TRUE(is_error(api().post("/api/v1/schedules", every_second("once")), 409, "wrong_state", {"once"}));
  EXPECT_TRUE(is_error(api().get(schedule_path("nope")), 404, "not_found", {"nope"}));
  EXPECT_TRUE(is_error(api().post(schedule_path("nope") + "/pause"), 404, "not_found", {"nope"}));
  EXPECT_TRUE(is_error(api().del(schedule_path("nope")), 404, "not_found", {"nope"}));
  EXPECT_TRUE(is_error(api().request("PATCH", schedule_path("nope"), R"({"cron":"* * * * *"})"), 404, "not_found"));
}

TEST_F(Schedules, AnEnqueueThatCarriesCronIsPointedToSchedules) {
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"cron", "0 2 * * *"}}), 400,
                       "invalid_argument", {"cron", "POST /api/v1/schedules"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"schedule", "nightly"}}), 400,
                       "invalid_argument", {"schedule", "POST /api/v1/schedules"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", json::array{json::object{{"type", "t"}, {"cron", "* * * * *"}}}}}),
                       400, "invalid_argument", {"jobs[0].cron", "POST /api/v1/schedules"}));
}

TEST_F(Schedules, APatchReplacesTheFieldsGivenAndMovesTheNextRun) {
  create(api(), {{"name", "p"}, {"cron", "0 0 1 1 *"}, {"job", {{"type", "t"}}}});
  auto changed = expect_json(api().request("PATCH", schedule_path("p"), R"({"cron":"0 9 * * *","timezone":"Asia/Tokyo","overlap":"skip"})"), 200);
  EXPECT_EQ(str(changed, "cron"), "0 9 * * *");
  EXPECT_EQ(str(changed, "overlap"), "skip");
  EXPECT_EQ(field(changed, "job"), (json::value{{"type", "t"}}));
  EXPECT_NE(str(changed, "next_run_at").find("T00:00:00.000000Z"), std::string::npos);
  EXPECT_TRUE(is_error(api().request("PATCH", schedule_path("p"), R"({"name":"q"})"), 400, "invalid_argument", {"name"}));
  EXPECT_TRUE(is_error(api().request("PATCH", schedule_path("p"), R"({"cron":"0 0 30 2 *"})"), 400, "invalid_argument",
                       {"cron", "no time to come"}));
  EXPECT_EQ(expect_json(api().get(schedule_path("p")), 200), changed);
}

TEST_F(Schedules, EachTickEnqueuesOneJobCarryingTheScheduleAndItsTick) {
  create(api(), every_second("ticks"));
  ASSERT_TRUE(wait_for_ticks(api(), "ticks", 3));
  auto s = expect_json(api().get(schedule_path("ticks")), 200);
  auto ticks = ticks_of(api(), "ticks");
  EXPECT_EQ(runs_of_seconds(ticks), 1u);
  // The schedule shows its last tick and job, and the job its tick.
  auto last = get_job(api(), str(s, "last_job_id"));
  EXPECT_EQ(str(last, "schedule"), "ticks");
  EXPECT_EQ(str(last, "scheduled_for"), str(s, "last_tick_at"));
  EXPECT_EQ(str(last, "type"), "tick");
  EXPECT_GT(time_at(s, "next_run_at"), time_at(s, "last_tick_at"));
}

TEST_F(Schedules, NoTickIsEnqueuedTwiceOrSkippedAcrossAKillAndARestart) {
  create(api(), every_second("crash"));
  ASSERT_TRUE(wait_for_ticks(api(), "crash", 2));
  server_.kill();
  start_server();
  auto const before_restart = list_all_jobs(api(), "crash").size();
  ASSERT_TRUE(wait_for_ticks(api(), "crash", before_restart + 2));
  // A restart within the grace of a minute runs the ticks of the downtime too: no gap, no twice.
  EXPECT_EQ(runs_of_seconds(ticks_of(api(), "crash")), 1u);
}

TEST_F(Schedules, APausedScheduleEnqueuesNothingUntilResumed) {
  create(api(), every_second("paused"));
  create(api(), every_second("clock"));   // its ticks show time passing
  ASSERT_TRUE(wait_for_ticks(api(), "paused", 1));
  auto paused = expect_json(api().post(schedule_path("paused") + "/pause"), 200);
  EXPECT_EQ(field(paused, "paused"), json::value(true));
  EXPECT_EQ(field(paused, "next_run_at"), json::value(nullptr));
  auto const while_paused = list_all_jobs(api(), "paused").size();
  ASSERT_TRUE(wait_for_ticks(api(), "clock", list_all_jobs(api(), "clock").size() + 2));
  EXPECT_EQ(list_all_jobs(api(), "paused").size(), while_paused);

  auto resumed = expect_json(api().post(schedule_path("paused") + "/resume"), 200);
  EXPECT_EQ(field(resumed, "paused"), json::value(false));
  EXPECT_TRUE(resumed.at("next_run_at").is_string());
  EXPECT_TRUE(wait_for_ticks(api(), "paused", while_paused + 1));
}

TEST_F(Schedules, OverlapSkipEnqueuesNothingWhileThePreviousJobRuns) {
  create(api(), every_second("overlap", {{"overlap", "skip"}}));
  create(api(), every_second("clock"));
  ASSERT_TRUE(wait_for_ticks(api(), "overlap", 1));
  auto lease = fetch_one(api(), {{"queues", json::array{"overlap"}}, {"lease_s", 60}});
  ASSERT_TRUE(wait_for_ticks(api(), "clock", list_all_jobs(api(), "clock").size() + 2));
  EXPECT_EQ(list_all_jobs(api(), "overlap").size(), 1u);
  expect_json(complete(api(), lease), 200);
  EXPECT_TRUE(wait_for_ticks(api(), "overlap", 2));
}

TEST_F(Schedules, ADeletedScheduleIsGoneAndItsJobsStay) {
  create(api(), every_second("gone"));
  ASSERT_TRUE(wait_for_ticks(api(), "gone", 1));
  auto r = api().del(schedule_path("gone"));
  EXPECT_EQ(r.status, 204) << describe(r);
  EXPECT_TRUE(is_error(api().get(schedule_path("gone")), 404, "not_found"));
  EXPECT_GE(list_all_jobs(api(), "gone").size(), 1u);
}

class ConfiguredSchedules : public ConfiguredApiTest {
 protected:
  std::string config_toml() const override {
    return R"(
[schedules.from-file]
cron = "* * * * * *"
job = '{"type":"tick","queue":"from-file"}'
overlap = "skip"
)";
  }
};

TEST_F(ConfiguredSchedules, AScheduleOfTheConfigFileIsSavedAtStartAndRuns) {
  auto s = expect_json(api().get(schedule_path("from-file")), 200);
  EXPECT_EQ(str(s, "overlap"), "skip");
  ASSERT_TRUE(wait_for_ticks(api(), "from-file", 1));
  // Saved again at a restart, it keeps its last tick and job.
  auto const before = expect_json(api().get(schedule_path("from-file")), 200);
  restart_server();
  auto after = expect_json(api().get(schedule_path("from-file")), 200);
  EXPECT_EQ(str(after, "created_at"), str(before, "created_at"));
  EXPECT_FALSE(after.at("last_job_id").is_null());
}

TEST(ConfiguredScheduleRefusal, AScheduleWithABadJobStopsTheServerNamingIt) {
  TempDir dir;
  write_file(dir.path() / "corral.toml", "[schedules.bad]\ncron = \"* * * * *\"\njob = '{\"type\":\"t\",\"priority\":\"urgent\"}'\n");
  CorralProcess server;
  EXPECT_THROW(server.start({"--config", (dir.path() / "corral.toml").string()}), std::runtime_error);
  EXPECT_EQ(server.exit_code(), 2);
  EXPECT_TRUE(has_substr(server.log(), "schedules.bad.job.priority")) << server.log();
}

}  // namespace
}  // namespace corral::test
