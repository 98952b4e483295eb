// client::Worker against the real server: the heartbeat thread keeps a job alive past its lease
// while the handler does nothing but wait; progress and checkpoints reach the job, and the
// checkpoint the next attempt; a cancel reaches the handler; stop(grace) lets a handler finish
// within the grace, and hands back one that does not, with its checkpoint; the jobs of a worker
// with several threads, fetched together and ending together, each complete with its own result.
#include "client/worker.hpp"

#include "client/server_fixture.hpp"
#include "support/wait_until.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using core::JobState;

// A latch the test opens for handlers waiting on it.
class Gate {
 public:
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // True once open; false after `timeout`, or as soon as `job` should stop.
  bool wait(client::JobContext& job, std::chrono::seconds timeout = 60s) {
    bool stopped = false;
    job.on_stop([&] {
      std::lock_guard lock(mutex_);
      stopped = true;
      changed_.notify_all();
    });
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return open_ || stopped; });
    bool const opened = open_;
    lock.unlock();
    job.on_stop(nullptr);
    return opened;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
};

class WorkerTest : public ServerTest {
 protected:
  void TearDown() override {
    if (running_.joinable()) {
      worker_->stop();
      running_.join();
    }
    ServerTest::TearDown();
  }

  // Runs a worker on `queue` with a lease of `lease_s` on a thread of its own.
  void start(std::string const& queue, double lease_s, client::Worker::Handler handler, int concurrency = 1) {
    worker_ = std::make_unique<client::Worker>(
        client::WorkerOptions{
            .server_url = server_.url(), .queues = {queue}, .concurrency = concurrency, .lease_s = lease_s, .fetch_wait_s = 5},
        std::move(handler), [this](client::WorkerEvent const& e) {
          std::lock_guard lock(events_mutex_);
          events_.push_back(e);
        });
    running_ = std::thread([this] { worker_->run(); });
  }

  // Stops the worker with `grace` and waits for run() to return.
  bool stop(std::chrono::duration<double> grace) {
    worker_->stop(grace);
    auto joined = std::async(std::launch::async, [this] { running_.join(); });
    return joined.wait_for(30s) == std::future_status::ready;
  }

  bool saw_event(client::WorkerEvent::Kind kind) {
    std::lock_guard lock(events_mutex_);
    return std::any_of(events_.begin(), events_.end(), [&](auto const& e) { return e.kind == kind; });
  }

  core::Job job(std::string const& id) { return jobs_->get(id); }

  std::unique_ptr<client::Worker> worker_;
  std::thread running_;
  std::mutex events_mutex_;
  std::vector<client::WorkerEvent> events_;
  Gate gate_;
};

TEST_F(WorkerTest, HeartbeatsKeepAJobAlivePastItsLeaseWithoutTheHandler) {
  auto id = jobs_->enqueue({.type = "long", .queue = "hb"}).job.id;
  start("hb", 1, [this](client::JobContext& job) {
    return gate_.wait(job) ? client::JobOutcome::success(nullptr) : client::JobOutcome::failure("stopped", "");
  });
  // With a 1 s lease, the attempt is still the first and still running 4 s after it started:
  // its lease was renewed again and again while the handler only waited.
  bool renewed = wait_until(30s, [&] {
    auto const j = job(id);
    return j.status == JobState::running && j.lease_expires_at && j.started_at &&
           *j.lease_expires_at >= *j.started_at + 4s;
  });
  EXPECT_TRUE(renewed);
  gate_.open();
  auto const done = jobs_->wait(id, 30s);
  EXPECT_EQ(done.status, JobState::completed);
  EXPECT_EQ(done.attempt, 1);
  EXPECT_EQ(done.attempts.size(), 1u);   // no lease ran out on the way
}

TEST_F(WorkerTest, ProgressAndCheckpointReachTheJobAndTheCheckpointTheNextAttempt) {
  auto id = jobs_->enqueue({.type = "resumable", .queue = "cp", .max_attempts = 2, .backoff = {.initial_s = 0, .jitter = 0}})
                .job.id;
  std::optional<std::string> second_attempt_saw;
  start("cp", 30, [&](client::JobContext& job) {
    if (job.attempt() == 1) {
      job.progress({.percent = 40, .stage = "render"});
      job.checkpoint(json::object{{"page", 7}});
      gate_.wait(job);
      return client::JobOutcome::failure("flaky", "try again");
    }
    second_attempt_saw = job.job().checkpoint;
    return client::JobOutcome::success(json::object{{"resumed", true}});
  });
  bool reported = wait_until(20s, [&] {
    auto const j = job(id);
    return j.status == JobState::running && j.progress && j.progress->percent == 40 && j.checkpoint;
  });
  ASSERT_TRUE(reported);
  auto const running = job(id);
  EXPECT_EQ(running.progress->stage, "render");
  EXPECT_EQ(json::parse(*running.checkpoint), (json::object{{"page", 7}}));
  gate_.open();
  auto const done = jobs_->wait(id, 30s);
  EXPECT_EQ(done.status, JobState::completed);
  EXPECT_EQ(done.attempt, 2);
  ASSERT_TRUE(second_attempt_saw);
  EXPECT_EQ(json::parse(*second_attempt_saw), (json::object{{"page", 7}}));
}

TEST_F(WorkerTest, ACancelReachesTheHandler) {
  auto id = jobs_->enqueue({.type = "long", .queue = "cancel"}).job.id;
  std::atomic<bool> handler_saw_cancel = false;
  start("cancel", 1, [&](client::JobContext& job) {
    job.wait_for_stop(60s);
    handler_saw_cancel = job.cancel_requested() && !job.released();
    return client::JobOutcome::failure("cancelled", "stopped on request", false);
  });
  ASSERT_TRUE(wait_until(20s, [&] { return job(id).status == JobState::running; }));
  jobs_->cancel(id);
  EXPECT_EQ(jobs_->wait(id, 30s).status, JobState::cancelled);
  EXPECT_TRUE(handler_saw_cancel);
  EXPECT_TRUE(wait_until(10s, [&] { return saw_event(client::WorkerEvent::Kind::cancelled); }));
}

TEST_F(WorkerTest, StopLetsAHandlerFinishWithinTheGrace) {
  auto id = jobs_->enqueue({.type = "t", .queue = "grace"}).job.id;
  std::atomic<bool> started = false;
  start("grace", 30, [&](client::JobContext& job) {
    started = true;
    gate_.wait(job);
    return client::JobOutcome::success(json::object{{"done", true}});
  });
  ASSERT_TRUE(wait_until(20s, [&] { return started.load(); }));
  worker_->stop(60s);
  gate_.open();
  EXPECT_EQ(jobs_->wait(id, 30s).status, JobState::completed);
  EXPECT_TRUE(stop(60s));
}

TEST_F(WorkerTest, StopHandsBackAJobStillRunningAtTheDeadlineWithItsCheckpoint) {
  auto id = jobs_->enqueue({.type = "t", .queue = "deadline"}).job.id;
  std::atomic<bool> checkpointed = false, handler_saw_release = false;
  start("deadline", 30, [&](client::JobContext& job) {
    job.checkpoint(json::object{{"page", 3}});   // sent with a heartbeat, or at the latest before the release
    checkpointed = true;
    job.wait_for_stop(60s);
    handler_saw_release = job.released() && job.cancel_requested();
    return client::JobOutcome::failure("stopped", "");
  });
  ASSERT_TRUE(wait_until(20s, [&] { return checkpointed.load(); }));
  ASSERT_TRUE(stop(200ms));
  EXPECT_TRUE(handler_saw_release);
  auto const back = job(id);
  EXPECT_EQ(back.status, JobState::queued);   // for another worker, at the same attempt
  EXPECT_EQ(back.attempt, 0);
  ASSERT_EQ(back.attempts.size(), 1u);
  EXPECT_EQ(back.attempts[0].outcome, core::AttemptOutcome::released);
  ASSERT_TRUE(back.checkpoint);
  EXPECT_EQ(json::parse(*back.checkpoint), (json::object{{"page", 3}}));
  EXPECT_TRUE(saw_event(client::WorkerEvent::Kind::released));
}

}  // namespace
}  // namespace corral::test

namespace corral::test {
namespace {

// Eight threads take eight jobs (one fetch may lease several) and end them at once, so their
// completions go out together: each job still gets its own result. Two results are nested as
// deeply as json_max_depth (64) allows a complete body, too deep inside a batch's two extra
// levels, and still complete, one per request.
TEST_F(WorkerTest, JobsEndingTogetherEachCompleteWithTheirOwnResultTheDeepestAllowedToo) {
  json::value deep = json::object{};
  for (int i = 0; i < 62; ++i) deep = json::object{{"a", deep}};
  std::vector<std::string> ids;
  for (int page = 1; page <= 8; ++page) {
    auto const payload = json::serialize(json::object{{"page", page}});
    ids.push_back(jobs_->enqueue({.type = "render", .queue = "together", .payload = payload}).job.id);
  }
  start("together", 30, [&](client::JobContext& job) {
    if (!gate_.wait(job)) return client::JobOutcome::failure("stopped", "");
    auto const page = json::parse(job.job().payload).at("page").as_int64();
    return client::JobOutcome::success(page > 6 ? deep : json::value(json::object{{"page", page}}));
  }, 8);
  ASSERT_TRUE(wait_until(30s, [&] {
    return std::all_of(ids.begin(), ids.end(), [&](auto const& id) { return job(id).status == JobState::running; });
  }));
  gate_.open();
  for (int page = 1; page <= 8; ++page) {
    auto const done = jobs_->wait(ids[page - 1], 30s);
    ASSERT_EQ(done.status, JobState::completed) << page;
    ASSERT_TRUE(done.result);
    json::parse_options deep_enough;
    deep_enough.max_depth = 128;
    EXPECT_EQ(json::parse(*done.result, {}, deep_enough), page > 6 ? deep : json::value(json::object{{"page", page}})) << page;
  }
  EXPECT_FALSE(saw_event(client::WorkerEvent::Kind::problem));
}

}  // namespace
}  // namespace corral::test
