// Retry delay policy: exponential backoff with jitter. Pure: the caller draws the random number.
#pragma once

#include "core/time.hpp"

namespace corral::core {

struct Backoff {
  double initial_s = 1.0;    // delay after the first failed attempt, before jitter
  double multiplier = 2.0;   // growth per further attempt, >= 1
  double max_s = 3600.0;     // cap before jitter, >= initial_s
  double jitter = 0.1;       // fraction in [0, 1]: the delay is scaled by 1 + U(-jitter, +jitter)
  bool operator==(Backoff const&) const = default;  // lets Job's defaulted == compile
};

// Delay before retrying after the `failed_attempt`-th failed attempt (1-based):
// min(initial_s × multiplier^(failed_attempt−1), max_s) × (1 + jitter × (2·unit_random − 1)).
// unit_random ∈ [0, 1). Never overflows: the exponent is capped once max_s is reached.
// Never negative.
Micros delay_for(Backoff const& b, int failed_attempt, double unit_random);

}  // namespace corral::core
