// Admission limits of the HTTP server: how many connections may be open and how many long-polls
// may wait at once (and, without a limit, how many requests are in flight). Each is a Gate, a
// counter with a ceiling that a caller enters before it takes the resource and leaves when done;
// over the ceiling it is refused at once with a clear error (too_many_connections,
// too_many_long_polls) instead of queueing, so one kind of client cannot use up the file
// descriptors or memory the others need. The counts are also the /metrics gauges.
//
// Thread-safe: connections and handlers on every io_context thread share one Admission.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>

namespace corral::http {

class Gate {
 public:
  explicit Gate(std::size_t max = std::numeric_limits<std::size_t>::max()) : max_(max) {}

  // Held while inside; leaves on destruction. False (and holding nothing) if the gate was full.
  class Pass {
   public:
    Pass() = default;
    explicit Pass(Gate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Pass& operator=(Pass&& other) noexcept {
      std::swap(gate_, other.gate_);
      return *this;
    }
    ~Pass() {
      if (gate_) gate_->count_.fetch_sub(1);
    }
    explicit operator bool() const { return gate_ != nullptr; }

   private:
    Gate* gate_ = nullptr;
  };

  Pass try_enter() {
    auto n = count_.load();
    do {
      if (n >= max_) return Pass();
    } while (!count_.compare_exchange_weak(n, n + 1));
    return Pass(this);
  }
  std::size_t count() const { return count_.load(); }
  std::size_t max() const { return max_; }

 private:
  std::size_t max_;
  std::atomic<std::size_t> count_{0};
};

struct Admission {
  Gate connections;   // open HTTP connections (max_connections)
  Gate long_polls;    // fetches with wait_s and GET ?wait in progress (max_long_polls)
  Gate requests;      // requests from their first byte to their reply: what a shutdown waits for
  Gate streams;       // event streams open (max_streams); not counted in requests
  std::atomic<std::uint64_t> streams_dropped{0};   // closed because their consumer did not read
};

}  // namespace corral::http
