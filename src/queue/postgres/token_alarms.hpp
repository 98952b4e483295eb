// Wakes this node's fetches waiting on a rate-limited queue when its next token arrives.
//
// A claim that finds a queue's bucket empty (limited_claims.hpp) reports how long until the next
// token; after the commit the node sets one timer per queue for that time (a later report for a
// queue with an earlier alarm already set adds nothing), and when it fires wakes one fetch parked
// on the queue, which claims again: if another node took the token first, that claim reports the
// new wait and the alarm is set again. So a waiting fetch gets its job when the token arrives,
// and nobody asks the database in between. One alarm per queue, not per fetch: the node's parked
// fetches on a queue are woken one token at a time.
//
// Thread-safe.
#pragma once

#include "core/time.hpp"
#include "queue/waiters.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace corral::postgres {

class TokenAlarms {
 public:
  TokenAlarms(boost::asio::any_io_executor ex, queue::Waiters& waiters) : ex_(std::move(ex)), waiters_(waiters) {}
  ~TokenAlarms() { close(); }

  // `queue`'s next token arrives `wait` from now.
  void set(std::string const& queue, core::Micros wait);
  // Cancels every alarm; later sets do nothing.
  void close();

 private:
  using Clock = std::chrono::steady_clock;
  struct Alarm {
    Clock::time_point at;
    std::shared_ptr<boost::asio::steady_timer> timer;
  };
  void fired(std::string const& queue, std::shared_ptr<boost::asio::steady_timer> const& timer);

  boost::asio::any_io_executor ex_;
  queue::Waiters& waiters_;
  std::mutex mutex_;
  std::map<std::string, Alarm, std::less<>> alarms_;   // GUARDED_BY(mutex_)
  bool closed_ = false;                                // GUARDED_BY(mutex_)
};

}  // namespace corral::postgres
