// `corral tail` against the real server: a line per event (or its JSON), filters, resuming after
// the server went away, following one job to its end with the documented exit codes, and exit 0
// on SIGINT.
#include "support/cli_fixture.hpp"
#include "support/files.hpp"
#include "support/metrics.hpp"
#include "support/wait_until.hpp"
#include "wire/reply_json.hpp"

#include <boost/json.hpp>

#include <signal.h>

#include <sstream>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(std::string const& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class TailCommand : public CliTest {
 protected:
  void TearDown() override {
    if (tail_ && tail_->running()) {
      tail_->signal(SIGKILL);
      tail_->wait_for_exit(10s);
    }
    CliTest::TearDown();
  }

  // `corral tail --server URL ARGS...` in the background; returns once its stream is open.
  Process& start_tail(std::vector<std::string> const& args) {
    Process::Options options;
    options.argv = {kCorralBinary, "tail", "--server", server_.url()};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.stdout_path = dir_ / "tail.out";
    options.stderr_path = dir_ / "tail.err";
    write_file(dir_ / "tail.out", "");
    write_file(dir_ / "tail.err", "");
    tail_ = std::make_unique<Process>(options);
    auto api = server_.client();
    EXPECT_TRUE(wait_until(10s, [&] { return gauge(api, "corral_streams") == 1; })) << tail_err();
    return *tail_;
  }
  std::string tail_out() const { return read_file(dir_ / "tail.out"); }
  std::string tail_err() const { return read_file(dir_ / "tail.err"); }
  bool wait_for_lines(std::size_t n) {
    return wait_until(20s, [&] { return lines_of(tail_out()).size() >= n; });
  }

  // Leases the job (worker "w1"), then completes or fails it.
  void finish(std::string const& id, std::string const& queue, bool succeed) {
    auto api = server_.client();
    auto fetched = api.post("/api/v1/fetch", json::object{{"queues", {queue}}, {"worker_id", "w1"}}).json();
    auto const& job = fetched.at("jobs").at(0).as_object();
    ASSERT_EQ(job.at("id"), json::value(id));
    json::object body{{"lease_token", job.at("lease_token")}};
    if (!succeed) body["error"] = {{"code", "boom"}, {"message", "it broke"}, {"retryable", false}};
    ASSERT_EQ(api.post("/api/v1/jobs/" + id + (succeed ? "/complete" : "/fail"), body).status, 200);
  }

  std::unique_ptr<Process> tail_;
};

TEST_F(TailCommand, PrintsOneReadableLinePerEventAndExitsZeroOnSigint) {
  auto& tail = start_tail({"--queue", "mail"});
  auto const id = enqueue({{"type", "email.send"}, {"queue", "mail"}});
  enqueue({{"type", "other"}, {"queue", "elsewhere"}});
  finish(id, "mail", false);
  ASSERT_TRUE(wait_for_lines(3)) << tail_out() << tail_err();
  auto const lines = lines_of(tail_out());
  ASSERT_EQ(lines.size(), 3u) << tail_out();
  for (auto const& [line, kind] : {std::pair{lines[0], "enqueued"}, std::pair{lines[1], "started"},
                                   std::pair{lines[2], "failed"}}) {
    EXPECT_TRUE(has_substr(line, kind) && has_substr(line, id) && has_substr(line, "mail") &&
                has_substr(line, "email.send"))
        << line;
  }
  EXPECT_TRUE(has_substr(lines[1], "attempt 1") && has_substr(lines[1], "worker w1")) << lines[1];
  EXPECT_TRUE(has_substr(lines[2], "boom: it broke")) << lines[2];
  tail.signal(SIGINT);
  ASSERT_TRUE(tail.wait_for_exit(10s));
  EXPECT_EQ(tail.exit_code(), 0) << tail_err();
}

TEST_F(TailCommand, JsonPrintsEachEventsJsonOnItsOwnLine) {
  auto& tail = start_tail({"--json", "--kind", "enqueued,completed"});
  auto const id = enqueue({{"type", "t"}, {"queue", "q"}});
  finish(id, "q", true);
  ASSERT_TRUE(wait_for_lines(2)) << tail_out() << tail_err();
  auto const lines = lines_of(tail_out());
  std::vector<std::string> kinds;
  for (auto const& line : lines) {
    auto event = wire::parse_reply(line);
    ASSERT_TRUE(event && event->is_object()) << line;
    EXPECT_EQ(event->at("job_id"), json::value(id));
    kinds.emplace_back(event->at("kind").as_string());
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"enqueued", "completed"}));
  tail.signal(SIGTERM);
  ASSERT_TRUE(tail.wait_for_exit(10s));
  EXPECT_EQ(tail.exit_code(), 0);
}

TEST_F(TailCommand, ReconnectsAfterTheServerRestartsAndResumesWithoutAGapOrADuplicate) {
  auto& tail = start_tail({"--json"});
  enqueue({{"type", "before"}});
  ASSERT_TRUE(wait_for_lines(1)) << tail_err();
  ASSERT_TRUE(server_.stop());
  server_.start({}, server_.port());
  auto const after = enqueue({{"type", "after"}});
  ASSERT_TRUE(wait_for_lines(2)) << tail_out() << tail_err();
  auto const lines = lines_of(tail_out());
  ASSERT_EQ(lines.size(), 2u) << tail_out();
  auto const first = wire::parse_reply(lines[0]), second = wire::parse_reply(lines[1]);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->at("job_id"), json::value(after));
  EXPECT_EQ(second->at("seq").to_number<std::int64_t>(), first->at("seq").to_number<std::int64_t>() + 1);
  EXPECT_TRUE(has_substr(tail_err(), "reconnecting")) << tail_err();
  EXPECT_TRUE(has_substr(tail_err(), "resuming after event " + std::to_string(first->at("seq").to_number<std::int64_t>())))
      << tail_err();
  tail.signal(SIGINT);
  ASSERT_TRUE(tail.wait_for_exit(10s));
  EXPECT_EQ(tail.exit_code(), 0);
}

TEST_F(TailCommand, FollowingAJobExitsZeroWhenItCompletesAndOneWhenItFails) {
  auto const id = enqueue({{"type", "t"}, {"queue", "follow"}});
  auto& tail = start_tail({"--job", id});
  finish(id, "follow", true);
  ASSERT_TRUE(tail.wait_for_exit(20s)) << tail_out() << tail_err();
  EXPECT_EQ(tail.exit_code(), 0) << tail_err();
  auto const lines = lines_of(tail_out());
  ASSERT_EQ(lines.size(), 3u) << tail_out();
  EXPECT_TRUE(has_substr(lines[0], "job") && has_substr(lines[0], "status queued")) << lines[0];
  EXPECT_TRUE(has_substr(lines[2], "completed")) << lines[2];

  auto const failing = enqueue({{"type", "t"}, {"queue", "follow"}});
  finish(failing, "follow", false);
  auto const ended = corral({"tail", "--job", failing});
  EXPECT_EQ(ended.exit_code, 1) << ended.err;
  EXPECT_TRUE(has_substr(ended.out, "status failed")) << ended.out;

  auto const unknown = corral({"tail", "--job", "job_nope"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(has_substr(unknown.err, "not_found")) << unknown.err;
}

TEST_F(TailCommand, AServerThatCannotBeReachedAtFirstExitsThree) {
  auto const result = run_cli({"tail", "--server", unreachable_url()});
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(has_substr(result.err, "cannot reach")) << result.err;
}

}  // namespace
}  // namespace corral::test
