// The slowest commit of the last minute, for the health check on commit latency. The writer (or
// each PostgreSQL batch) records how long every commit took; health reads the slowest of the
// current and the previous minute, so one slow commit shows for a minute or two, then goes.
//
// Thread-safe: one short lock per batch.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace corral::queue {

class CommitLatency {
 public:
  using Clock = std::chrono::steady_clock;

  void record(Clock::duration took, Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mutex_);
    roll(now);
    slowest_now_ = std::max(slowest_now_, took);
  }

  double slowest_s(Clock::time_point now = Clock::now()) const {
    std::lock_guard lock(mutex_);
    auto const m = minute_of(now);
    Clock::duration slowest{0};
    if (m == minute_) slowest = std::max(slowest_now_, slowest_before_);
    else if (m == minute_ + 1) slowest = slowest_now_;
    return std::chrono::duration<double>(slowest).count();
  }

 private:
  static std::int64_t minute_of(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
  }
  void roll(Clock::time_point now) {
    auto const m = minute_of(now);
    if (m == minute_) return;
    slowest_before_ = m == minute_ + 1 ? slowest_now_ : Clock::duration{0};
    slowest_now_ = Clock::duration{0};
    minute_ = m;
  }

  mutable std::mutex mutex_;
  std::int64_t minute_ = 0;                 // GUARDED_BY(mutex_)
  Clock::duration slowest_now_{0};          // GUARDED_BY(mutex_): this minute's
  Clock::duration slowest_before_{0};       // GUARDED_BY(mutex_): the minute before's
};

}  // namespace corral::queue
