// IANA time zones by name, from the system's tzdata (Debian's tzdata package, read through
// Howard Hinnant's date library, which C++20's <chrono> time zones are based on but g++ 12 lacks).
#pragma once

#include "core/error.hpp"

#include <string_view>

namespace date {
class time_zone;
}

namespace corral::core {

inline constexpr std::string_view kDefaultTimeZone = "UTC";

// The zone named `name` ("Europe/Berlin", "UTC"); invalid_argument if tzdata has no such zone.
// Thread-safe; the zone lives as long as the process.
Result<date::time_zone const*> find_time_zone(std::string_view name);

}  // namespace corral::core
