// The request rate limit of one API key (docs/security.md): a token bucket. It holds up to
// `burst` tokens, gains `per_s` a second, and a request takes one; a request that finds none is
// refused and told how long until one is there. Pure: the caller passes the time in, so the rule
// is tested without a clock (tests/auth/token_bucket_test.cpp).
//
// A bucket is full again after it has been left alone long enough; a full bucket behaves as a
// new one, so a caller may forget it (http/rate_limiter.hpp keeps memory bounded that way).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace corral::auth {

struct RateLimit {
  double per_s = 0;        // tokens gained a second; 0: no limit
  std::int64_t burst = 0;  // most tokens held; 0: per_s rounded up, at least 1

  bool on() const { return per_s > 0; }
  double capacity() const;
};

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // Full at `now`.
  TokenBucket(RateLimit limit, Clock::time_point now);

  // Takes a token at `now`. None: taken. Else the bucket is left as it was, and the answer is how
  // long from `now` until it holds a token.
  std::optional<Clock::duration> take(Clock::time_point now);
  // Whether it holds `capacity` tokens at `now`, as a new bucket would.
  bool full(Clock::time_point now) const;

 private:
  double tokens_at(Clock::time_point now) const;

  RateLimit limit_;
  double tokens_;
  Clock::time_point at_;   // when tokens_ was counted
};

// A wait as Retry-After's whole seconds: rounded up, at least 1.
std::int64_t retry_after_seconds(TokenBucket::Clock::duration wait);

}  // namespace corral::auth
