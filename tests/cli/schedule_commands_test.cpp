// `corral schedules`: create, list, get, pause, resume and delete against a real server, for
// people and with --json; a refused body exits 1 with the server's message.
#include "support/cli_fixture.hpp"

#include <boost/json/parse.hpp>

namespace corral::test {
namespace {

class ScheduleCommands : public CliTest {};

TEST_F(ScheduleCommands, CreateGetPauseResumeListAndDeleteASchedule) {
  auto created = corral({"schedules", "create", "nightly", "--cron", "0 9 * * *", "--timezone", "Asia/Tokyo",
                         "--overlap", "skip", "--job", R"({"type":"report.generate","queue":"reports"})", "--json"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto s = json_reply(created);
  EXPECT_EQ(s.at("name"), "nightly");
  EXPECT_EQ(s.at("overlap"), "skip");
  EXPECT_TRUE(has_substr(std::string(s.at("next_run_at").as_string()), "T00:00:00.000000Z"));

  auto shown = corral({"schedules", "get", "nightly"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(has_substr(shown.out, "Asia/Tokyo"));
  EXPECT_TRUE(has_substr(shown.out, "report.generate"));

  auto paused = corral({"schedules", "pause", "nightly", "--json"});
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  EXPECT_EQ(json_reply(paused).at("paused"), true);
  EXPECT_TRUE(json_reply(paused).at("next_run_at").is_null());
  auto resumed = corral({"schedules", "resume", "nightly", "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(json_reply(resumed).at("paused"), false);

  auto listed = corral({"schedules", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(has_substr(listed.out, "NAME"));
  EXPECT_TRUE(has_substr(listed.out, "nightly"));
  EXPECT_TRUE(has_substr(listed.out, "0 9 * * *"));

  auto deleted = corral({"schedules", "delete", "nightly"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_TRUE(has_substr(deleted.out, "deleted nightly"));
  auto gone = corral({"schedules", "get", "nightly"});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_TRUE(has_substr(gone.err, "not_found"));
}

TEST_F(ScheduleCommands, ARefusedScheduleExitsOneNamingTheField) {
  auto r = corral({"schedules", "create", "bad", "--cron", "61 * * * *", "--job", R"({"type":"t"})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_substr(r.err, "cron"));
  auto bad_json = corral({"schedules", "create", "bad", "--cron", "* * * * *", "--job", "{"});
  EXPECT_EQ(bad_json.exit_code, 2);
  EXPECT_TRUE(has_substr(bad_json.err, "--job"));
}

}  // namespace
}  // namespace corral::test
