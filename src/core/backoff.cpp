#include "core/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace corral::core {

namespace {

// Upper bound on any delay, whatever Backoff a stored job carries: 100 years. It keeps the
// double -> int64 microsecond conversion and `now + delay` far from overflow.
constexpr double kMaxDelaySeconds = 100.0 * 365 * 86400;

// min(initial_s × multiplier^(failed_attempt−1), max_s), multiplying step by step and stopping as
// soon as the cap is reached, so a large attempt number can never overflow to inf (and
// 0 × inf = NaN cannot occur). Rejected alternative: std::pow, which overflows for large exponents.
double capped_base(Backoff const& b, int failed_attempt) {
  double const cap = std::min(b.max_s, kMaxDelaySeconds);
  if (!(b.initial_s > 0) || !(cap > 0)) return 0;  // also catches NaN
  double base = std::min(b.initial_s, cap);
  if (!(b.multiplier > 1)) return base;  // a multiplier of 1 (or an invalid one) never grows
  for (int n = 1; n < failed_attempt && base < cap; ++n) base *= b.multiplier;
  return std::min(base, cap);
}

}  // namespace

Micros delay_for(Backoff const& b, int failed_attempt, double unit_random) {
  double const base = capped_base(b, std::max(failed_attempt, 1));
  // A draw outside [0, 1) is a caller bug; clamping keeps the result inside the jitter band.
  double const u = std::isnan(unit_random) ? 0.5 : std::clamp(unit_random, 0.0, 1.0);
  double const jitter = std::isnan(b.jitter) ? 0.0 : b.jitter;
  double const seconds = std::clamp(base * (1 + jitter * (2 * u - 1)), 0.0, kMaxDelaySeconds);
  return seconds_to_micros(seconds);
}

}  // namespace corral::core
