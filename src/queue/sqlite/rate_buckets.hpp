// The embedded backend's queue rate limits (core/queue_flow.hpp): one token bucket per limited
// queue, in the writer's memory (one server owns the file, so no other process takes tokens).
//
// A claim asks has_token() before it takes a job of a limited queue and take() once the job has
// started, so an empty bucket hands out nothing more from that queue while the fetch goes on to
// its other queues. A claim that finds the bucket empty with work waiting records when the next
// token arrives (ran_dry); the engine puts the earliest such time into next_deadline(), and at
// that time wakes the fetches parked on the queue (take_refilled), so a waiting fetch is served
// when the token arrives, and nobody polls meanwhile.
//
// A bucket starts full: at the first claim after a start, or after its limit changed (a PATCH or
// the config file). Tokens taken by claims of a batch that then failed stay taken, which can only
// hold the queue back, never let it run faster than its limit.
//
// Not thread-safe: owned by the writer thread.
#pragma once

#include "core/queue_flow.hpp"
#include "core/time.hpp"
#include "core/token_bucket.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace corral::sqlite {

class RateBuckets {
 public:
  using Bucket = core::BasicTokenBucket<std::chrono::system_clock, core::Micros>;

  // The queue's rate limit (none: not limited).
  void set(std::string const& queue, std::optional<core::QueueRateLimit> const& limit);
  // Whether `queue` is rate limited; false at once when no queue is (the common case).
  bool limited(std::string const& queue) const { return !queues_.empty() && queues_.contains(queue); }

  // Whether the limited `queue`'s bucket holds a token at `now`.
  bool has_token(std::string const& queue, core::TimePoint now);
  // A job of the limited `queue` started at `now`: one token taken.
  void take(std::string const& queue, core::TimePoint now);
  // A claim found `queue` empty at `now` with jobs ready: its next token is awaited.
  void ran_dry(std::string const& queue, core::TimePoint now);

  // When the earliest awaited token arrives.
  std::optional<core::TimePoint> next_token() const;
  // Calls `woken(queue)` for every queue whose awaited token has arrived by `now`, and forgets it.
  void take_refilled(core::TimePoint now, std::function<void(std::string const&)> const& woken);

 private:
  struct Limited {
    core::QueueRateLimit limit;
    std::optional<Bucket> bucket;            // made full at its first use
    std::optional<core::TimePoint> dry_until;
  };
  Bucket& bucket_of(Limited& q, core::TimePoint now);

  std::map<std::string, Limited, std::less<>> queues_;
};

}  // namespace corral::sqlite
