// The client commands against the real server: their output for people and for scripts (--json),
// and their exit codes (0 ok, 1 an error reply, 2 bad usage, 3 unreachable, 4 get --wait timed out).
#include "support/cli_fixture.hpp"
#include "support/files.hpp"

#include <boost/json/serialize.hpp>

#include <future>

namespace corral::test {
namespace {

namespace json = boost::json;

std::string id_of(CliResult const& result) { return std::string(json_reply(result).at("id").as_string()); }

using EnqueueCommand = CliTest;

TEST_F(EnqueueCommand, PrintsTheNewJobForPeople) {
  auto r = corral({"enqueue", "email.send", "--payload", R"({"to":"a@example.com"})", "--queue", "mail"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_substr(r.out, "email.send"));
  EXPECT_TRUE(has_substr(r.out, "mail"));
  EXPECT_TRUE(has_substr(r.out, "queued"));
  EXPECT_TRUE(has_substr(r.out, "0/3"));   // attempt/max_attempts
  EXPECT_TRUE(has_substr(r.out, "id "));
}

TEST_F(EnqueueCommand, JsonPrintsTheServersReplyWithEveryOption) {
  auto r = corral({"enqueue", "report.build", "--json", "--payload", R"({"n":1})", "--queue", "reports",
                   "--priority", "high", "--max-attempts", "5", "--timeout", "30", "--owner", "alice"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto job = json_reply(r);
  EXPECT_EQ(job.at("type"), "report.build");
  EXPECT_EQ(job.at("queue"), "reports");
  EXPECT_EQ(job.at("priority"), 10);
  EXPECT_EQ(job.at("max_attempts"), 5);
  EXPECT_EQ(job.at("timeout_s").to_number<double>(), 30);
  EXPECT_EQ(job.at("owner"), "alice");
  EXPECT_EQ(job.at("payload"), (json::object{{"n", 1}}));
  EXPECT_EQ(this->job(id_of(r)).at("status"), "queued");
}

TEST_F(EnqueueCommand, DelayOrRunAtSchedulesTheJob) {
  auto delayed = corral({"enqueue", "later", "--json", "--delay", "3600"});
  ASSERT_EQ(delayed.exit_code, 0) << delayed.err;
  EXPECT_EQ(json_reply(delayed).at("status"), "scheduled");
  auto at = corral({"enqueue", "later", "--json", "--run-at", "2999-01-01T00:00:00+02:00"});
  ASSERT_EQ(at.exit_code, 0) << at.err;
  EXPECT_EQ(json_reply(at).at("status"), "scheduled");
  EXPECT_TRUE(has_substr(json::serialize(json_reply(at).at("run_at")), "2998-12-31T22:00:00"));
}

TEST_F(EnqueueCommand, ReadsThePayloadFromAFileOrStdin) {
  write_file(dir_ / "payload.json", R"({"from":"file"})");
  auto from_file = corral({"enqueue", "t", "--json", "--payload-file", (dir_ / "payload.json").string()});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(json_reply(from_file).at("payload"), (json::object{{"from", "file"}}));
  auto from_stdin = corral({"enqueue", "t", "--json", "--payload-file", "-"}, R"([1,2,3])");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(json_reply(from_stdin).at("payload"), (json::array{1, 2, 3}));
}

TEST_F(EnqueueCommand, AnIdempotencyKeyGivesBackTheSameJob) {
  auto first = corral({"enqueue", "t", "--json", "--idempotency-key", "order-42"});
  auto second = corral({"enqueue", "t", "--json", "--idempotency-key", "order-42"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(id_of(first), id_of(second));
}

TEST_F(EnqueueCommand, BadUsageExits2) {
  std::vector<std::vector<std::string>> const cases = {
      {"enqueue"},                                          // no TYPE
      {"enqueue", "t", "--payload", "{not json"},           // payload is not JSON
      {"enqueue", "t", "--payload", "{}", "--payload-file", "x.json"},
      {"enqueue", "t", "--delay", "5", "--run-at", "2999-01-01T00:00:00Z"},
      {"enqueue", "t", "--delay", "-1"},
      {"enqueue", "t", "--payload-file", "/nonexistent/payload.json"},
      {"enqueue", "t", "--max-attempts", "many"},
      {"no-such-command"},
  };
  for (auto const& args : cases) {
    auto r = corral(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << (args.size() > 1 ? args.back() : "") << "\n" << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

// A bad flag value names the flag, its range as people write numbers, and what was typed.
TEST_F(EnqueueCommand, AnOutOfRangeFlagSaysWhichAndWhy) {
  auto r = corral({"enqueue", "t", "--delay", "-1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_substr(r.err, "--delay: must be at least 0 (got -1)")) << r.err;
  EXPECT_LT(r.err.size(), 200u) << "no 309-digit bound: " << r.err;
}

TEST_F(EnqueueCommand, AValueTheServerRejectsExits1WithItsError) {
  auto r = corral({"enqueue", "t", "--priority", "urgent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_substr(r.err, "error: invalid_argument: "));
  EXPECT_TRUE(has_substr(r.err, "priority"));
}

TEST(CorralCommand, HelpExits0) {
  auto top = run_cli({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_TRUE(has_substr(top.out, "enqueue"));
  EXPECT_TRUE(has_substr(top.out, "worker"));
  auto enqueue = run_cli({"enqueue", "--help"});
  EXPECT_EQ(enqueue.exit_code, 0);
  EXPECT_TRUE(has_substr(enqueue.out, "--idempotency-key"));
  EXPECT_TRUE(has_substr(enqueue.out, "--server"));
}

TEST(CorralCommand, NoCommandIsBadUsage) { EXPECT_EQ(run_cli({}).exit_code, 2); }

using GetCommand = CliTest;

TEST_F(GetCommand, ShowsTheJobForPeopleAndAsJson) {
  auto id = enqueue({{"type", "resize"}, {"queue", "images"}});
  auto human = corral({"get", id});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_TRUE(has_substr(human.out, id));
  EXPECT_TRUE(has_substr(human.out, "resize"));
  EXPECT_TRUE(has_substr(human.out, "images"));
  auto machine = corral({"get", id, "--json"});
  ASSERT_EQ(machine.exit_code, 0) << machine.err;
  EXPECT_EQ(json_reply(machine).at("id"), json::value(id));
}

TEST_F(GetCommand, AnUnknownJobExits1WithNotFound) {
  auto r = corral({"get", "no-such-job"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has_substr(r.err, "error: not_found: "));
  EXPECT_TRUE(r.out.empty());
}

TEST_F(GetCommand, WaitThatEndsBeforeTheJobExits4AndPrintsItsState) {
  auto id = enqueue({{"type", "slow"}});
  auto r = corral({"get", id, "--wait", "0.5", "--json"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(json_reply(r).at("status"), "queued");
}

TEST_F(GetCommand, WaitReturnsAsSoonAsTheJobEnds) {
  auto id = enqueue({{"type", "quick"}, {"queue", "wait-test"}});
  auto waiting = std::async(std::launch::async, [&] { return corral({"get", id, "--wait", "30", "--json"}); });
  auto client = server_.client();
  auto fetched = client.post("/api/v1/fetch", json::object{{"queues", json::array{"wait-test"}}, {"wait_s", 5}});
  ASSERT_EQ(fetched.status, 200) << fetched.body;
  auto token = fetched.json().at("jobs").at(0).at("lease_token");
  auto done = client.post("/api/v1/jobs/" + id + "/complete", json::object{{"lease_token", token}, {"result", 7}});
  ASSERT_EQ(done.status, 200) << done.body;
  auto r = waiting.get();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json_reply(r).at("status"), "completed");
  EXPECT_EQ(json_reply(r).at("result"), 7);
}

using ListCommand = CliTest;

TEST_F(ListCommand, PrintsATableNewestFirstAndPagesWithTheCursor) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(enqueue({{"type", "listed"}, {"queue", "list-q"}}));
  auto table = corral({"list", "--queue", "list-q"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(has_substr(table.out, "ID"));
  EXPECT_TRUE(has_substr(table.out, "STATUS"));
  EXPECT_LT(table.out.find(ids[2]), table.out.find(ids[0]));   // newest first
  for (auto const& id : ids) EXPECT_TRUE(has_substr(table.out, id));

  auto first = corral({"list", "--queue", "list-q", "--limit", "2", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto page = json_reply(first);
  ASSERT_EQ(page.at("jobs").as_array().size(), 2u);
  std::string cursor(page.at("next_cursor").as_string());
  auto second = corral({"list", "--queue", "list-q", "--limit", "2", "--cursor", cursor, "--json"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  auto rest = json_reply(second);
  ASSERT_EQ(rest.at("jobs").as_array().size(), 1u);
  EXPECT_EQ(rest.at("jobs").at(0).at("id"), json::value(ids[0]));

  auto human_page = corral({"list", "--queue", "list-q", "--limit", "2"});
  EXPECT_TRUE(has_substr(human_page.out, "--cursor " + cursor));
}

TEST_F(ListCommand, FiltersByStatusAndType) {
  auto kept = enqueue({{"type", "keep"}, {"queue", "filter-q"}});
  auto cancelled = enqueue({{"type", "drop"}, {"queue", "filter-q"}});
  ASSERT_EQ(corral({"cancel", cancelled}).exit_code, 0);
  auto by_status = json_reply(corral({"list", "--queue", "filter-q", "--status", "cancelled", "--json"}));
  ASSERT_EQ(by_status.at("jobs").as_array().size(), 1u);
  EXPECT_EQ(by_status.at("jobs").at(0).at("id"), json::value(cancelled));
  auto by_type = json_reply(corral({"list", "--type", "keep", "--json"}));
  ASSERT_EQ(by_type.at("jobs").as_array().size(), 1u);
  EXPECT_EQ(by_type.at("jobs").at(0).at("id"), json::value(kept));
  EXPECT_TRUE(has_substr(corral({"list", "--queue", "empty-q"}).out, "no jobs"));
}

using JobActions = CliTest;

TEST_F(JobActions, CancelThenRetryRequeuesTheJob) {
  auto id = enqueue({{"type", "t"}});
  auto cancel = corral({"cancel", id});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  EXPECT_TRUE(has_substr(cancel.out, "cancelled"));
  auto again = corral({"cancel", id});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(has_substr(again.err, "error: wrong_state: "));
  auto retry = corral({"retry", id, "--json"});
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(json_reply(retry).at("status"), "queued");
  EXPECT_EQ(corral({"retry", "no-such-job"}).exit_code, 1);
}

using QueueCommands = CliTest;

TEST_F(QueueCommands, PauseAndResumeShowInQueues) {
  enqueue({{"type", "t"}, {"queue", "pausable"}});
  auto pause = corral({"pause", "pausable"});
  ASSERT_EQ(pause.exit_code, 0) << pause.err;
  EXPECT_TRUE(has_substr(pause.out, "PAUSED"));
  EXPECT_TRUE(has_substr(pause.out, "yes"));

  auto table = corral({"queues"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(has_substr(table.out, "QUEUED"));
  EXPECT_TRUE(has_substr(table.out, "pausable"));
  auto queues = json_reply(corral({"queues", "--json"})).at("queues").as_array();
  auto it = std::find_if(queues.begin(), queues.end(), [](json::value const& q) { return q.at("name") == "pausable"; });
  ASSERT_NE(it, queues.end());
  EXPECT_EQ(it->at("paused"), true);
  EXPECT_EQ(it->at("counts").at("queued"), 1);

  auto resume = corral({"resume", "pausable", "--json"});
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  EXPECT_EQ(json_reply(resume).at("paused"), false);
}

TEST(UnreachableServer, EveryClientCommandExits3) {
  auto url = unreachable_url();
  std::vector<std::vector<std::string>> const commands = {
      {"enqueue", "t"}, {"get", "x"}, {"list"}, {"cancel", "x"}, {"retry", "x"}, {"queues"}, {"pause", "q"}, {"resume", "q"}};
  for (auto args : commands) {
    args.insert(args.end(), {"--server", url});
    auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 3) << args[0] << "\n" << r.err;
    EXPECT_TRUE(has_substr(r.err, "cannot reach"));
  }
}

TEST(ServerOption, AMalformedUrlIsBadUsage) {
  EXPECT_EQ(run_cli({"queues", "--server", "ftp://example.com"}).exit_code, 2);
}

using ServerFromEnvironment = CliTest;

TEST_F(ServerFromEnvironment, CorralUrlIsUsedWithoutServer) {
  auto r = run_cli({"queues", "--json"}, {{"CORRAL_URL", server_.url()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto overridden = run_cli({"queues", "--server", server_.url()}, {{"CORRAL_URL", unreachable_url()}});
  EXPECT_EQ(overridden.exit_code, 0) << overridden.err;   // the flag wins
}

}  // namespace
}  // namespace corral::test
