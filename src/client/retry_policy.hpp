// When a client sends a request again after the server could not serve it, and how long it waits
// first.
//
// A 5xx reply (503 while the database fails over or restarts, 500 for a fault the next try may
// miss), a 429 (the key's rate limit: nothing was done), or no reply at all (connection refused
// or reset, a timeout) is transient: the same request may succeed later. Any other reply is the
// server's answer, and final.
//
// The wait grows exponentially with jitter (core::delay_for), so that the workers of a fleet that
// lost the server at the same moment do not all come back at the same instant, and it is never
// shorter than the reply's Retry-After, which Corral sends with every 429 and every 503 that frees
// up by itself.
// Sending again is safe for the requests a worker makes: a fetch whose reply was lost leased
// nothing the worker will hold (that lease runs out), and a resent complete or fail that already
// won is recognised by its lease token.
#pragma once

#include "client/client.hpp"
#include "core/backoff.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace corral::client {

// 0.5 s after the first failure, doubling up to 15 s, each wait ±50 %: a database failover of a
// few seconds costs a worker about a second more, one of half a minute about 15 s at most.
inline constexpr core::Backoff kTransientRetry{0.5, 2.0, 15.0, 0.5};

// True when sending `reply`'s request again unchanged may succeed: a 5xx.
bool is_transient(Response const& reply);

// The reply's Retry-After in seconds, if it has one in the delay-seconds form.
std::optional<double> retry_after_s(Response const& reply);

// The wait after the `failures`-th failure in a row (1-based): delay_for(policy, failures,
// unit_random), raised to `retry_after_s` if that is longer, and never above policy.max_s (a
// client does not wait longer than its own ceiling, whatever the server asks).
std::chrono::duration<double> retry_delay(core::Backoff const& policy, int failures,
                                          std::optional<double> retry_after_s, double unit_random);

// The waits between the tries of one kind of request. Not thread-safe: one per loop.
class RetryBackoff {
 public:
  explicit RetryBackoff(core::Backoff policy = kTransientRetry, std::uint32_t seed = std::random_device{}());

  // After a failed try: the wait before the next. `reply` is the server's transient reply, or
  // nullptr if there was none.
  std::chrono::duration<double> next(Response const* reply);
  // After a success: the next failure waits the shortest time again.
  void reset() { failures_ = 0; }

 private:
  core::Backoff policy_;
  int failures_ = 0;
  std::mt19937 random_;
};

}  // namespace corral::client
