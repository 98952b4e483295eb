#include "http/rate_limiter.hpp"

namespace corral::http {

std::optional<std::int64_t> RateLimiter::take(std::string const& key_id) {
  if (!limit_.on()) return std::nullopt;
  auto const now = Clock::now();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key_id);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxBuckets) forget_full(now);
    it = buckets_.try_emplace(key_id, limit_, now).first;
  }
  auto const wait = it->second.take(now);
  if (!wait) return std::nullopt;
  return core::retry_after_seconds(*wait);
}

void RateLimiter::forget_full(Clock::time_point now) {
  std::erase_if(buckets_, [now](auto const& entry) { return entry.second.full(now); });
  if (buckets_.size() >= kMaxBuckets) buckets_.clear();
}

}  // namespace corral::http
