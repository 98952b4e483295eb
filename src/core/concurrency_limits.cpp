#include "core/concurrency_limits.hpp"

#include <algorithm>

namespace corral::core {

std::optional<std::int64_t> room_in_queue(ConcurrencyLimits const& limits, std::int64_t running) {
  if (!limits.max_running) return std::nullopt;
  // A limit lowered below what already runs leaves no room until enough of them end.
  return std::max<std::int64_t>(0, *limits.max_running - running);
}

bool key_has_room(ConcurrencyLimits const& limits, bool has_key, std::int64_t running_of_key) {
  return !has_key || !limits.max_running_per_key || running_of_key < *limits.max_running_per_key;
}

}  // namespace corral::core
