// The QueueService conformance suite: one set of behaviour tests that every backend must pass,
// parameterised by a Backend factory. queue_conformance_test.cpp instantiates it for SQLite; the
// PostgreSQL backend adds its own INSTANTIATE_TEST_SUITE_P(Postgres, QueueConformance, ...).
// The TEST_Ps are split over the *_conformance_test.cpp files of this folder by topic.
#pragma once

#include "queue/open/open_queue.hpp"
#include "queue/queue_harness.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

namespace corral::test {

struct Backend {
  std::string name;
  // Opens the backend's store kept under `dir`: the same `dir` gives the same store, so a test can
  // close the service and open it again.
  std::function<core::Result<std::unique_ptr<queue::QueueService>>(
      std::filesystem::path const& dir, core::JobTypeTable job_types, queue::OpenOptions const& options)>
      open;
  // A text an error must contain to name the store (the SQLite file's path).
  std::function<std::string(std::filesystem::path const& dir)> store_name;
  // True if a second open of a store already open is refused (one server per SQLite file).
  bool exclusive = true;
  // The clock the backend judges deadlines by: this machine's for SQLite, the database server's
  // for PostgreSQL. A test that waits for a deadline to pass waits on this clock.
  std::function<core::TimePoint(std::filesystem::path const& dir)> now;
};

inline void PrintTo(Backend const& b, std::ostream* os) { *os << b.name; }

class QueueConformance : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { open(); }

  void TearDown() override {
    // Wake any long-poll a failed test left waiting, let every coroutine finish, then close.
    if (svc_) svc_->shutdown();
    loop_.drain();
    svc_.reset();
  }

  void open() {
    auto opened = GetParam().open(dir_.path(), job_types_, options_);
    ASSERT_TRUE(opened) << opened.error().message;
    svc_ = std::move(*opened);
  }

  // Closes the service as a server does on exit; nothing may be in flight.
  void close() { svc_.reset(); }

  // Closes the service and opens it again with these job types ([job_types.NAME]).
  void reopen_with_types(core::JobTypeTable types) {
    close();
    job_types_ = std::move(types);
    open();
  }

  queue::QueueService& svc() { return *svc_; }

  template <class T>
  T run(boost::asio::awaitable<T> task) { return loop_.run(std::move(task)); }

  template <class T>
  std::future<T> spawn(boost::asio::awaitable<T> task) { return loop_.spawn(std::move(task)); }

  // Shorthands for the calls most tests make; each throws (fails the test) on an error.
  core::Job enqueue(core::EnqueueRequest req) { return must(run(svc_->enqueue(std::move(req)))).job; }

  std::vector<core::Job> fetch(queue::FetchRequest req) { return must(run(svc_->fetch(std::move(req)))); }

  // Fetches exactly one job from `queue`, failing the test if there is none.
  core::Job fetch_one(std::string const& queue = "default") {
    auto jobs = fetch(fetch_request({queue}));
    if (jobs.size() != 1) throw std::runtime_error("expected one job from " + queue);
    return jobs.front();
  }

  core::Result<core::Job> get(std::string const& id, core::Micros wait = core::Micros{0}) {
    return run(svc_->get(id, wait));
  }

  core::Result<core::Job> complete(std::string const& id, std::string token) {
    return run(svc_->complete(id, queue::CompleteRequest{std::move(token), R"({"ok":true})"}));
  }

  core::Result<core::Job> fail(std::string const& id, std::string token) {
    return run(svc_->fail(id, queue::FailRequest{std::move(token), core::JobError{"boom", "it broke", true}, {}}));
  }

  // True once at least `n` long-polls are parked, past their first look, so that only a commit
  // (or their deadline) answers them: a test of a waiting call waits for this before it makes
  // the change that should answer it, or the call's first look could find the change made.
  bool parked(std::size_t n) {
    return wait_until(kDeadline, [&] {
      for (auto const& stat : svc_->backend_stats()) {
        if (stat.name == "long_polls_parked") return stat.value >= static_cast<double>(n);
      }
      return false;
    });
  }

  // The backend's clock (Backend::now).
  core::TimePoint backend_now() const { return GetParam().now(dir_.path()); }

  Loop& loop() { return loop_; }
  std::filesystem::path const& dir() const { return dir_.path(); }

  core::JobTypeTable job_types_;
  queue::OpenOptions options_;   // what the next open() passes

 private:
  TempDir dir_;
  Loop loop_;                                  // after dir_: stopped before the files go
  std::unique_ptr<queue::QueueService> svc_;   // last: closed first
};

}  // namespace corral::test
