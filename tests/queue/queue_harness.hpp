// Test harness for QueueService: an io_context on a thread of its own, a way to await the service's
// coroutines from a plain test body, request builders and Result assertions. Header-only: the
// suite target globs only *_test.cpp files.
//
// Every call waits on its future with a deadline (kDeadline), never with a sleep. Long-polls that
// a test expects to be cut short by an event ask for kLongWait, well past kDeadline, so a lost
// wake-up shows as a missed deadline instead of passing late.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/error.hpp"
#include "core/job.hpp"
#include "queue/queue_printers.hpp"
#include "queue/queue_service.hpp"
#include "queue/requests.hpp"
#include "support/results.hpp"
#include "support/wait_until.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace corral::test {

using namespace std::chrono_literals;
namespace asio = boost::asio;

// The wait a test asks of a long-poll it expects an event to end early (the API's maximum).
inline constexpr core::Micros kLongWait{60'000'000};

// The result of a spawned call, or a thrown failure if it is not ready within `deadline`.
template <class T>
T await(std::future<T> future, std::chrono::steady_clock::duration deadline = kDeadline) {
  if (future.wait_for(deadline) != std::future_status::ready) {
    throw std::runtime_error("the call did not complete before its deadline");
  }
  return future.get();
}

// An io_context run by one background thread. Each spawned coroutine gets a strand of its own,
// as a server connection would. Thread-safe.
class Loop {
 public:
  Loop() : work_(asio::make_work_guard(ioc_)), thread_([this] { ioc_.run(); }) {}
  ~Loop() { drain(); }
  Loop(Loop const&) = delete;
  Loop& operator=(Loop const&) = delete;

  asio::strand<asio::io_context::executor_type> strand() { return asio::make_strand(ioc_); }

  // Starts `task` on a new strand; its result (or exception) arrives through the future.
  template <class T>
  std::future<T> spawn(asio::awaitable<T> task) {
    auto promise = std::make_shared<std::promise<T>>();
    auto future = promise->get_future();
    asio::co_spawn(strand(), deliver(std::move(task), std::move(promise)), asio::detached);
    return future;
  }

  // Runs `task` to completion; throws (a test failure) if it is not done within kDeadline.
  template <class T>
  T run(asio::awaitable<T> task) {
    return await(spawn(std::move(task)));
  }

  // Lets every started coroutine finish, then stops the thread. Idempotent.
  void drain() {
    work_.reset();
    if (thread_.joinable()) thread_.join();
  }

 private:
  template <class T>
  static asio::awaitable<void> deliver(asio::awaitable<T> task, std::shared_ptr<std::promise<T>> promise) {
    try {
      promise->set_value(co_await std::move(task));
    } catch (...) {
      promise->set_exception(std::current_exception());
    }
  }

  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
};

inline core::EnqueueRequest job_request(std::string queue = "default", int priority = 0) {
  core::EnqueueRequest req;
  req.type = "email";
  req.queue = std::move(queue);
  req.priority = priority;
  return req;
}

inline queue::FetchRequest fetch_request(std::vector<std::string> queues, int count = 1,
                                         core::Micros wait = core::Micros{0}) {
  queue::FetchRequest req;
  req.queues = std::move(queues);
  req.worker_id = "worker-1";
  req.count = count;
  req.wait = wait;
  return req;
}

// A job with only an id: what a test hands to a fetch as if a batch had claimed it.
inline core::Job job_named(std::string id) {
  core::Job job;
  job.id = std::move(id);
  return job;
}

inline std::vector<std::string> ids_of(std::vector<core::Job> const& jobs) {
  std::vector<std::string> ids;
  for (auto const& j : jobs) ids.push_back(j.id);
  return ids;
}

inline std::int64_t count_of(queue::QueueInfo const& info, core::JobState s) {
  return info.counts[static_cast<std::size_t>(s)];
}

}  // namespace corral::test
