// SIGINT and SIGTERM for a client command that runs until the user stops it (`worker`, `tail`):
// blocked in every thread and taken by one thread with sigwait(), which then calls `on_stop`.
// Waiting for them synchronously, rather than in a signal handler, lets the stop take locks and
// cancel a request in progress, which no async-signal-safe code could do.
//
// Construct it before any other thread starts, so that every thread inherits the blocked mask.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include <signal.h>

namespace corral::cli {

class StopSignals {
 public:
  explicit StopSignals(std::function<void()> on_stop);
  // Returns once the waiting thread has ended; if no signal came, it wakes it (with a SIGTERM
  // that stays pending, blocked, and goes with the process) without calling on_stop.
  ~StopSignals();
  StopSignals(StopSignals const&) = delete;
  StopSignals& operator=(StopSignals const&) = delete;

  bool stopped() const { return stopped_.load(); }

 private:
  sigset_t signals_;
  std::atomic<bool> finishing_{false};
  std::atomic<bool> stopped_{false};
  std::thread waiter_;
};

}  // namespace corral::cli
