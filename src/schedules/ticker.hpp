// The schedule ticker: runs recurring schedules (queue/schedules.hpp) on the server's io_context.
//
// One loop asks the queue to run the schedules due now (each tick's job and the schedule's next
// run time commit together in the backend, so this loop holds no state a crash could lose), then
// sleeps until the earliest next_run_at the backend reported. A change to a schedule through this
// server wakes it at once (wake()); `max_sleep` bounds how long a change made through another
// node sharing the database waits to be seen. Nothing polls at a fixed rate: an idle server with
// no schedules wakes once per max_sleep.
//
// Runs on one strand of the executor given to start(). Thread-safe: start, stop and wake.
#pragma once

#include "queue/queue_service.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>

namespace corral::schedules {

struct TickerOptions {
  std::chrono::milliseconds max_sleep{30'000};
  std::size_t batch = 100;   // due schedules run per commit
};

class Ticker {
 public:
  explicit Ticker(queue::QueueService& queue, TickerOptions options = {});
  ~Ticker();

  void start(boost::asio::any_io_executor executor);
  // The loop ends at its next wake; a run in flight finishes (it commits or not as a whole).
  void stop();
  // A schedule was saved, resumed or deleted: look again now.
  void wake();

 private:
  struct Impl;
  queue::QueueService& queue_;
  TickerOptions options_;
  std::shared_ptr<Impl> impl_;   // from start()
};

}  // namespace corral::schedules
