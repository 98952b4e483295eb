// RFC 3339 timestamps: parse any offset and fractional seconds; format in UTC with microseconds.
#pragma once

#include "core/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace corral::wire {

// "2026-11-24T14:40:11.123456Z"
std::string format_rfc3339(core::TimePoint t);
// The same text, appended to `out`.
void append_rfc3339(std::string& out, core::TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" ('t' and 'z' and a space for 'T' as RFC 3339
// allows); fractions beyond microseconds are truncated. nullopt if malformed or out of range.
std::optional<core::TimePoint> parse_rfc3339(std::string_view s);

}  // namespace corral::wire
