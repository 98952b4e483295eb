// A queue's concurrency limits: at most max_running of its jobs run at once, and at most
// max_running_per_key of those carrying one concurrency_key (jobs without a key count only
// against max_running). A job that may not start waits queued; jobs behind it that may start are
// handed out first, so a limit never holds up work it does not limit.
//
// The rule is here once; each backend keeps (or counts) the running jobs it is applied to.
// Pure: the counts are arguments.
#pragma once

#include <cstdint>
#include <optional>

namespace corral::core {

inline constexpr int kMaxRunningLimit = 1'000'000;

struct ConcurrencyLimits {
  std::optional<int> max_running;          // none: no limit
  std::optional<int> max_running_per_key;  // none: no limit
  bool any() const { return max_running.has_value() || max_running_per_key.has_value(); }
  bool operator==(ConcurrencyLimits const&) const = default;
};

// How many more of the queue's jobs may start while `running` run; none: no limit.
std::optional<std::int64_t> room_in_queue(ConcurrencyLimits const& limits, std::int64_t running);

// Whether one more job of a key may start while `running_of_key` of that key run. A job without
// a key (has_key false) is not held back by the per-key limit.
bool key_has_room(ConcurrencyLimits const& limits, bool has_key, std::int64_t running_of_key);

}  // namespace corral::core
