// examples/cpp_worker, built as the README builds it, against the real server: it completes a job,
// its progress and checkpoint show on the job, it resumes from a checkpoint, and it stops cleanly
// on SIGTERM.
#include "client/server_fixture.hpp"
#include "support/files.hpp"
#include "support/has_substr.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <signal.h>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using core::JobState;

class ExampleWorker : public ServerTest {
 protected:
  Process& start_worker(std::string const& queue) {
    Process::Options options;
    options.argv = {CORRAL_EXAMPLE_WORKER, queue};
    options.env = {{"CORRAL_URL", server_.url()}};
    options.stdout_path = options.stderr_path = dir_ / "worker.log";
    worker_ = std::make_unique<Process>(options);
    return *worker_;
  }
  std::string log() const { return read_file(dir_ / "worker.log"); }

  void expect_clean_stop() {
    worker_->signal(SIGTERM);
    ASSERT_TRUE(worker_->wait_for_exit(20s)) << log();
    EXPECT_EQ(worker_->exit_code(), 0) << log();
  }

  TempDir dir_;
  std::unique_ptr<Process> worker_;
};

TEST_F(ExampleWorker, CompletesAJobWithProgressAndACheckpoint) {
  auto id = jobs_->enqueue({.type = "report.build", .queue = "reports", .payload = R"({"pages":3})"}).job.id;
  start_worker("reports");
  auto const job = jobs_->wait(id, 60s);
  ASSERT_EQ(job.status, JobState::completed) << log();
  EXPECT_EQ(json::parse(*job.result), (json::object{{"pages", 3}, {"rendered", 3}}));
  ASSERT_TRUE(job.progress);
  EXPECT_EQ(job.progress->percent, 100);
  EXPECT_EQ(job.progress->stage, "render");
  ASSERT_TRUE(job.checkpoint);
  EXPECT_EQ(json::parse(*job.checkpoint), (json::object{{"pages_done", 3}}));
  // Its log says so once the server's reply to the complete has come back.
  EXPECT_TRUE(wait_until(10s, [&] { return log().find("completed " + id) != std::string::npos; })) << log();
  expect_clean_stop();
}

TEST_F(ExampleWorker, ResumesFromTheCheckpointOfAnEarlierAttempt) {
  // An earlier attempt finished 4 of 5 pages and was cancelled; retried, the job does only the last.
  auto id = jobs_->enqueue({.type = "report.build", .queue = "resume", .payload = R"({"pages":5})"}).job.id;
  auto fetched = api_->post("/api/v1/fetch", json::object{{"queues", json::array{"resume"}}});
  auto token = fetched.json().at("jobs").at(0).at("lease_token");
  ASSERT_EQ(api_->post("/api/v1/jobs/" + id + "/heartbeat",
                       json::object{{"lease_token", token}, {"checkpoint", {{"pages_done", 4}}}})
                .status,
            200);
  ASSERT_EQ(api_->post("/api/v1/jobs/" + id + "/release", json::object{{"lease_token", token}}).status, 200);
  start_worker("resume");
  auto const job = jobs_->wait(id, 60s);
  ASSERT_EQ(job.status, JobState::completed) << log();
  EXPECT_EQ(json::parse(*job.result), (json::object{{"pages", 5}, {"rendered", 1}}));
  ASSERT_TRUE(job.progress);
  EXPECT_EQ(job.progress->message, "page 5 of 5");
  expect_clean_stop();
}

}  // namespace
}  // namespace corral::test
