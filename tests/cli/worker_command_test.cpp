// `corral worker --exec` against the real server: what the command receives (payload on stdin,
// CORRAL_* variables), what its end does to the job (result, failure with the stderr tail and a
// retry), progress lines, cancel, the granted lease (max_run_s) and a graceful stop on SIGTERM.
#include "support/cli_fixture.hpp"
#include "support/files.hpp"
#include "support/wait_until.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <signal.h>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// A worker exits this soon after SIGTERM once its commands are done, even while a fetch waits.
constexpr auto kStopDeadline = 10s;

class WorkerCommand : public CliTest {
 protected:
  // A shell condition that holds once release() has been called: lets a command wait for the test.
  std::string released() const { return "[ -e '" + (dir_ / "release").string() + "' ]"; }
  void release() { write_file(dir_ / "release", ""); }

  void expect_clean_stop(Process& worker) {
    worker.signal(SIGTERM);
    ASSERT_TRUE(worker.wait_for_exit(kStopDeadline)) << worker_log();
    EXPECT_EQ(worker.exit_code(), 0) << worker_log();
  }
};

TEST_F(WorkerCommand, CompletesAJobWithTheJsonItPrints) {
  auto id = enqueue({{"type", "echo"}, {"queue", "w1"}, {"payload", {{"n", 42}, {"s", "x"}}}});
  auto& worker = start_worker({"--queue", "w1", "--exec", "cat"});   // payload on stdin -> stdout
  auto job = wait_for_status(id, "completed");
  EXPECT_EQ(job.at("result"), (json::object{{"n", 42}, {"s", "x"}}));
  expect_clean_stop(worker);
  EXPECT_TRUE(has_substr(worker_log(), "completed"));
}

TEST_F(WorkerCommand, SetsTheJobsVariables) {
  auto id = enqueue({{"type", "env.check"}, {"queue", "w2"}});
  auto& worker = start_worker({"--queue", "w2", "--exec",
                               R"(printf '{"id":"%s","type":"%s","attempt":%s}' )"
                               R"("$CORRAL_JOB_ID" "$CORRAL_JOB_TYPE" "$CORRAL_ATTEMPT")"});
  auto job = wait_for_status(id, "completed");
  EXPECT_EQ(job.at("result"), (json::object{{"id", id}, {"type", "env.check"}, {"attempt", 1}}));
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, OutputThatIsNotJsonBecomesAString) {
  auto id = enqueue({{"type", "t"}, {"queue", "w3"}});
  auto& worker = start_worker({"--queue", "w3", "--exec", "echo hello world"});
  EXPECT_EQ(wait_for_status(id, "completed").at("result"), "hello world");
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, AFailingCommandIsRetriedAndRecordsItsStderrTail) {
  auto id = enqueue({{"type", "flaky"},
                     {"queue", "w4"},
                     {"max_attempts", 2},
                     {"backoff", {{"initial_s", 0}, {"jitter", 0}}}});
  auto& worker = start_worker({"--queue", "w4", "--exec",
                               "echo 'progress 10 warming up' >&2; echo 'disk full' >&2; exit 3"});
  auto job = wait_for_status(id, "failed");
  EXPECT_EQ(job.at("attempt"), 2);   // retried once, then failed for good
  EXPECT_EQ(job.at("attempts").as_array().size(), 2u);
  auto const& error = job.at("error").as_object();
  EXPECT_EQ(error.at("code"), "exit_3");
  EXPECT_TRUE(has_substr(error.at("message").as_string(), "disk full"));
  EXPECT_FALSE(has_substr(error.at("message").as_string(), "progress"));   // progress lines are not errors
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, KeepsOnlyTheLastTwoKibibytesOfStderr) {
  auto id = enqueue({{"type", "noisy"}, {"queue", "w5"}, {"max_attempts", 1}});
  auto& worker = start_worker({"--queue", "w5", "--exec",
                               "i=0; while [ $i -lt 500 ]; do echo \"line $i\" >&2; i=$((i+1)); done; exit 1"});
  auto job = wait_for_status(id, "failed");
  auto message = std::string(job.at("error").at("message").as_string());
  EXPECT_LE(message.size(), 2048u);
  EXPECT_TRUE(has_substr(message, "line 499"));
  EXPECT_FALSE(has_substr(message, "line 1\n"));
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, ProgressLinesAreRecordedWhileTheCommandRuns) {
  auto id = enqueue({{"type", "resize"}, {"queue", "w6"}});
  auto& worker = start_worker({"--queue", "w6", "--exec",
                               "echo 'progress 40 resizing' >&2; until " + released() + "; do sleep 0.05; done"});
  bool recorded = wait_until(20s, [&] {
    auto const current = job(id);
    auto const* progress = current.if_contains("progress");
    return progress && progress->is_object() && progress->as_object().contains("stage") &&
           progress->at("stage") == "resizing" && progress->at("percent").to_number<double>() == 40;
  });
  EXPECT_TRUE(recorded) << json::serialize(job(id)) << "\n" << worker_log();
  EXPECT_EQ(job(id).at("status"), "running");
  release();
  wait_for_status(id, "completed");
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, ACompletedJobShowsFullProgressAndKeepsItsStage) {
  auto id = enqueue({{"type", "t"}, {"queue", "w6b"}});
  auto& worker = start_worker({"--queue", "w6b", "--exec", "echo 'progress 90 uploading' >&2; echo ok"});
  auto job = wait_for_status(id, "completed");
  ASSERT_TRUE(job.at("progress").is_object()) << json::serialize(job);
  EXPECT_EQ(job.at("progress").at("percent").to_number<double>(), 100) << "a completed job does not sit at 90 %";
  EXPECT_EQ(job.at("progress").at("stage"), "uploading");
  expect_clean_stop(worker);
}

// The lease the worker keeps is the one granted: max_run_s caps it far below the 600 s asked for
// The worker stops the command when the attempt can no longer report, rather than let it run its
// 120 s for nothing, and says why.
TEST_F(WorkerCommand, ACommandIsStoppedWhenItsJobReachesMaxRunS) {
  auto id = enqueue({{"type", "slow"}, {"queue", "w7b"}, {"max_run_s", 2}, {"max_attempts", 1}});
  auto& worker = start_worker({"--queue", "w7b", "--lease", "600", "--exec", "sleep 120"});
  ASSERT_TRUE(wait_until(20s, [&] { return worker_log().find("lease_lost") != std::string::npos; })) << worker_log();
  auto const log = worker_log();
  EXPECT_TRUE(has_substr(log, "max_run_s")) << log;
  EXPECT_TRUE(has_substr(log, "the command was stopped")) << log;
  auto job = wait_for_status(id, "failed");
  EXPECT_EQ(job.at("error").at("code"), "timed_out") << json::serialize(job);
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, ACancelRequestStopsTheCommand) {
  auto id = enqueue({{"type", "long"}, {"queue", "w7"}});
  // --lease 3: a heartbeat every second, so the cancel is seen within about a second.
  auto& worker = start_worker({"--queue", "w7", "--lease", "3", "--exec", "sleep 120"});
  wait_for_status(id, "running");
  auto cancel = corral({"cancel", id});
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  EXPECT_TRUE(has_substr(cancel.out, "cancel requested"));
  // The worker reports only once the command has exited, long before its 120 s.
  auto job = wait_for_status(id, "cancelled", 20s);
  expect_clean_stop(worker);
  EXPECT_TRUE(has_substr(worker_log(), "cancelled"));
  // The request is answered: the job no longer shows one pending.
  auto shown = corral({"get", id});
  EXPECT_FALSE(has_substr(shown.out, "cancel requested")) << shown.out;
}

TEST_F(WorkerCommand, SigtermLetsTheRunningCommandFinishAndReport) {
  auto id = enqueue({{"type", "t"}, {"queue", "w8"}});
  auto& worker = start_worker({"--queue", "w8", "--exec", "until " + released() + "; do sleep 0.05; done; echo 1"});
  // The worker's own word that the command runs: the server marks the job running a moment
  // before the worker has read the fetch's reply.
  ASSERT_TRUE(wait_until(20s, [&] { return worker_log().find("started") != std::string::npos; })) << worker_log();
  worker.signal(SIGTERM);
  release();
  EXPECT_EQ(wait_for_status(id, "completed").at("result"), 1);
  ASSERT_TRUE(worker.wait_for_exit(kStopDeadline)) << worker_log();
  EXPECT_EQ(worker.exit_code(), 0) << worker_log();
}

TEST_F(WorkerCommand, AnIdleWorkerStopsAtOnceOnSigterm) {
  auto& worker = start_worker({"--queue", "idle", "--exec", "true"});
  // "ready" comes once its signals are set up; then its fetch waits up to 30 s for work, and
  // SIGTERM must not wait for that fetch to end: the clean stop's deadline (10 s) is shorter.
  ASSERT_TRUE(wait_until(10s, [&] { return worker_log().find("ready") != std::string::npos; })) << worker_log();
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, AJobArrivingAsTheWorkerStopsIsNeverLeftLeased) {
  // Enqueue and SIGTERM race: the job is run, or handed back (queued), or never fetched; never
  // left running with a lease no worker holds.
  for (int round = 0; round < 3; ++round) {
    auto& worker = start_worker({"--queue", "race", "--exec", "true"});
    ASSERT_TRUE(wait_until(10s, [&] { return worker_log().find("ready") != std::string::npos; })) << worker_log();
    auto id = enqueue({{"type", "t"}, {"queue", "race"}});
    worker.signal(SIGTERM);
    ASSERT_TRUE(worker.wait_for_exit(kStopDeadline)) << worker_log();
    EXPECT_EQ(worker.exit_code(), 0) << worker_log();
    auto status = job(id).at("status");
    EXPECT_TRUE(status == "completed" || status == "queued") << status << "\n" << worker_log();
    if (status == "queued") {
      ASSERT_EQ(corral({"cancel", id}).exit_code, 0);   // out of the next round's way
    }
  }
}

TEST_F(WorkerCommand, RunsJobsConcurrently) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(enqueue({{"type", "t"}, {"queue", "w9"}}));
  // Each command waits for the release, so all three can only be running at once with three threads.
  auto& worker = start_worker({"--queue", "w9", "--concurrency", "3", "--exec",
                               "until " + released() + "; do sleep 0.05; done"});
  for (auto const& id : ids) wait_for_status(id, "running");
  release();
  for (auto const& id : ids) wait_for_status(id, "completed");
  expect_clean_stop(worker);
}

TEST_F(WorkerCommand, JsonPrintsOneEventPerLine) {
  auto id = enqueue({{"type", "t"}, {"queue", "w10"}});
  auto& worker = start_worker({"--queue", "w10", "--json", "--exec", "true"});
  wait_for_status(id, "completed");
  expect_clean_stop(worker);
  bool saw_completed = false;
  std::istringstream lines(worker_log());
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    auto event = json::parse(line, ec);
    ASSERT_FALSE(ec) << line;
    saw_completed = saw_completed || (event.at("event") == "completed" && event.at("job_id") == json::value(id));
  }
  EXPECT_TRUE(saw_completed) << worker_log();
}

TEST_F(WorkerCommand, AQueueNameTheServerRefusesExits1) {
  auto& worker = start_worker({"--queue", "no spaces allowed", "--exec", "true"});
  ASSERT_TRUE(worker.wait_for_exit(kStopDeadline)) << worker_log();
  EXPECT_EQ(worker.exit_code(), 1);
  EXPECT_TRUE(has_substr(worker_log(), "invalid_argument"));
}

TEST_F(WorkerCommand, KeepsTryingWhileTheServerIsUnreachable) {
  Process::Options options;
  options.argv = {kCorralBinary, "worker", "--server", unreachable_url(), "--queue", "q", "--exec", "true"};
  options.stdout_path = options.stderr_path = dir_ / "worker.log";
  worker_ = std::make_unique<Process>(options);
  EXPECT_TRUE(wait_until(10s, [&] { return worker_log().find("cannot fetch") != std::string::npos; })) << worker_log();
  EXPECT_TRUE(worker_->running());
  expect_clean_stop(*worker_);
}

TEST(WorkerUsage, QueueAndExecAreRequired) {
  EXPECT_EQ(run_cli({"worker", "--exec", "true"}).exit_code, 2);
  EXPECT_EQ(run_cli({"worker", "--queue", "q"}).exit_code, 2);
  auto const bad = run_cli({"worker", "--queue", "q", "--exec", "true", "--concurrency", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has_substr(bad.err, "--concurrency: must be between 1 and 1024 (got 0)")) << bad.err;
}

}  // namespace
}  // namespace corral::test
