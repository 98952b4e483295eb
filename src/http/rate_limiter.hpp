// The request rate limits of API keys (docs/security.md): one token bucket (core/token_bucket.hpp)
// per key id, in this node's memory. A request with a key takes one token when it arrives
// (http/authorize.cpp); what it then waits for (a long-poll, an event stream) costs nothing more.
// On PostgreSQL each node keeps its own buckets, so the limit is per node.
//
// Memory: a bucket left alone until it is full again is the same as none, so when the map reaches
// kMaxBuckets those are forgotten; should every one still be in use, all are (a bound, not an
// eviction policy: keys are made by admins, tens of them, not thousands).
//
// Thread-safe: one mutex, held only for the map lookup and the bucket's arithmetic.
#pragma once

#include "core/token_bucket.hpp"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace corral::http {

class RateLimiter {
 public:
  static constexpr std::size_t kMaxBuckets = 10'000;

  explicit RateLimiter(core::RateLimit limit) : limit_(limit) {}

  // Takes a token of `key_id`'s bucket. None: go on (or no limit is set). Else the Retry-After
  // seconds of the refusal.
  std::optional<std::int64_t> take(std::string const& key_id);

 private:
  using Clock = std::chrono::steady_clock;
  void forget_full(Clock::time_point now);   // mutex_ held

  core::RateLimit const limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, core::BasicTokenBucket<std::chrono::steady_clock>> buckets_;
};

}  // namespace corral::http
