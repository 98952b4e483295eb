// A Prometheus counter: a whole number that only grows, from 0 when the server starts. Kept as an
// integer, not a double, so that it prints exactly at any size (a double prints 12345678 as
// 1.23457e+07 through an ostream, and loses units past 2^53).
//
// Thread-safe and lock-free: add() is one relaxed atomic increment, cheap enough for the writer's
// thread to count every event it commits.
#pragma once

#include <atomic>
#include <cstdint>

namespace corral::metrics {

class Counter {
 public:
  void add(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace corral::metrics
