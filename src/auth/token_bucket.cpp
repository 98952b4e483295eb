#include "auth/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace corral::auth {

double RateLimit::capacity() const {
  if (burst > 0) return static_cast<double>(burst);
  return std::max(1.0, std::ceil(per_s));
}

TokenBucket::TokenBucket(RateLimit limit, Clock::time_point now)
    : limit_(limit), tokens_(limit.capacity()), at_(now) {}

double TokenBucket::tokens_at(Clock::time_point now) const {
  // A clock read before at_ (another thread's earlier now) gains nothing rather than losing.
  auto const elapsed = std::chrono::duration<double>(std::max(now, at_) - at_).count();
  return std::min(limit_.capacity(), tokens_ + elapsed * limit_.per_s);
}

std::optional<TokenBucket::Clock::duration> TokenBucket::take(Clock::time_point now) {
  auto const tokens = tokens_at(now);
  if (tokens >= 1) {
    tokens_ = tokens - 1;
    at_ = std::max(now, at_);
    return std::nullopt;
  }
  auto const wait = std::chrono::duration<double>((1 - tokens) / limit_.per_s);
  return std::chrono::ceil<Clock::duration>(wait);
}

bool TokenBucket::full(Clock::time_point now) const { return tokens_at(now) >= limit_.capacity(); }

std::int64_t retry_after_seconds(TokenBucket::Clock::duration wait) {
  return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
}

}  // namespace corral::auth
