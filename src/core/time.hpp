// Time as the domain sees it: microsecond wall-clock instants and durations.
// The core never reads a clock; callers pass `now` in.
#pragma once

#include <chrono>
#include <cstdint>

namespace corral::core {

using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Micros>;

// Seconds (possibly fractional) to microseconds, rounded to nearest.
inline Micros seconds_to_micros(double s) { return Micros(static_cast<std::int64_t>(s * 1e6 + (s >= 0 ? 0.5 : -0.5))); }
inline double micros_to_seconds(Micros d) { return static_cast<double>(d.count()) / 1e6; }
inline std::int64_t to_unix_micros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint from_unix_micros(std::int64_t us) { return TimePoint(Micros(us)); }

}  // namespace corral::core
