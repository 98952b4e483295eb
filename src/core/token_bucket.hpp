// A token bucket: it holds up to `capacity` tokens, gains `per_s` a second, and each thing it
// limits takes one; what finds none waits until one is there. Used for API keys' request rate
// (http/rate_limiter.hpp, on the steady clock of one node) and for queues' rate limits
// (core/queue_rate_limit.hpp: the embedded backend's buckets in memory, PostgreSQL's in the queues
// row, on wall-clock time shared by the nodes). One arithmetic for both, so they cannot differ.
//
// Pure: the caller passes the time in, so the rule is tested without a clock
// (tests/core/token_bucket_test.cpp). A bucket is full again after it has been left alone long
// enough; a full bucket behaves as a new one, so a caller may forget it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>

namespace corral::core {

struct RateLimit {
  double per_s = 0;        // tokens gained a second; 0: no limit
  std::int64_t burst = 0;  // most tokens held; 0: per_s rounded up, at least 1

  bool on() const { return per_s > 0; }
  double capacity() const;
  bool operator==(RateLimit const&) const = default;
};

// The arithmetic, in seconds, for any clock.
// Tokens held `elapsed_s` after holding `tokens` (at most the capacity; a negative elapsed gains
// nothing rather than losing: another thread's earlier `now`).
double tokens_after(RateLimit const& limit, double tokens, double elapsed_s);
// Seconds until `tokens` grows to one whole token; 0 when it holds one.
double seconds_to_token(RateLimit const& limit, double tokens);

template <class Clock, class Duration = typename Clock::duration>
class BasicTokenBucket {
 public:
  using time_point = std::chrono::time_point<Clock, Duration>;
  using duration = Duration;

  // Full at `now`.
  BasicTokenBucket(RateLimit limit, time_point now) : BasicTokenBucket(limit, limit.capacity(), now) {}
  // Holding `tokens` at `at` (a bucket stored elsewhere, read back).
  BasicTokenBucket(RateLimit limit, double tokens, time_point at) : limit_(limit), tokens_(tokens), at_(at) {}

  // Takes a token at `now`. None: taken. Else the bucket is left as it was, and the answer is how
  // long from `now` until it holds a token.
  std::optional<duration> take(time_point now) {
    if (take_up_to(1, now) == 1) return std::nullopt;
    return wait(now);
  }
  // Takes as many whole tokens as it holds at `now`, up to `n`; returns how many.
  std::int64_t take_up_to(std::int64_t n, time_point now) {
    auto const tokens = tokens_at(now);
    auto const taken = std::clamp<std::int64_t>(static_cast<std::int64_t>(tokens), 0, std::max<std::int64_t>(n, 0));
    if (taken == 0) return 0;
    tokens_ = tokens - static_cast<double>(taken);
    at_ = std::max(now, at_);
    return taken;
  }
  // How long from `now` until it holds a whole token (zero when it does).
  duration wait(time_point now) const {
    return std::chrono::ceil<duration>(std::chrono::duration<double>(seconds_to_token(limit_, tokens_at(now))));
  }
  // Whether it holds `capacity` tokens at `now`, as a new bucket would.
  bool full(time_point now) const { return tokens_at(now) >= limit_.capacity(); }
  // Its state, to store it: `tokens()` held at `at()`.
  double tokens() const { return tokens_; }
  time_point at() const { return at_; }
  RateLimit const& limit() const { return limit_; }

 private:
  double tokens_at(time_point now) const {
    return tokens_after(limit_, tokens_, std::chrono::duration<double>(now - at_).count());
  }

  RateLimit limit_;
  double tokens_;
  time_point at_;   // when tokens_ was counted
};

// A wait as Retry-After's whole seconds: rounded up, at least 1.
std::int64_t retry_after_seconds(std::chrono::steady_clock::duration wait);

}  // namespace corral::core
