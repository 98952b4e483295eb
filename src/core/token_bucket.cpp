#include "core/token_bucket.hpp"

#include <cmath>

namespace corral::core {

double RateLimit::capacity() const {
  if (burst > 0) return static_cast<double>(burst);
  return std::max(1.0, std::ceil(per_s));
}

double tokens_after(RateLimit const& limit, double tokens, double elapsed_s) {
  return std::min(limit.capacity(), tokens + std::max(0.0, elapsed_s) * limit.per_s);
}

double seconds_to_token(RateLimit const& limit, double tokens) {
  if (tokens >= 1) return 0;
  return (1 - tokens) / limit.per_s;
}

std::int64_t retry_after_seconds(std::chrono::steady_clock::duration wait) {
  return std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(wait).count());
}

}  // namespace corral::core
