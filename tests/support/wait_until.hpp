// Waiting on a condition with a deadline, the way integration tests synchronise with another
// process: check, and if it does not hold yet, yield briefly and check again. The pause grows
// from 1 ms to 50 ms, so a condition that turns true soon is seen soon, and a slow one costs
// little CPU. This polls a condition; it never sleeps in place of one.
#pragma once

#include <algorithm>
#include <chrono>
#include <thread>

namespace corral::test {

// How long a test waits for something to happen by itself (a due job, an expired lease, a call
// to the service): a bound on a failing test's wait, never a measure of speed.
inline constexpr std::chrono::seconds kDeadline{20};

// True as soon as `condition()` is true; false if it is still false at the deadline.
template <class Condition>
bool wait_until(std::chrono::steady_clock::duration timeout, Condition condition) {
  using namespace std::chrono_literals;
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::steady_clock::duration pause = 1ms;
  for (;;) {
    if (condition()) return true;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min(pause, deadline - now));
    pause = std::min<std::chrono::steady_clock::duration>(pause * 2, 50ms);
  }
}

}  // namespace corral::test
