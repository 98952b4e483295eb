// Priorities: integers in [-1000, 1000], higher first; FIFO (by enqueue sequence) within one.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace corral::core {

inline constexpr int kMinPriority = -1000;
inline constexpr int kMaxPriority = 1000;
inline constexpr int kPriorityLow = -10;
inline constexpr int kPriorityNormal = 0;
inline constexpr int kPriorityHigh = 10;

// "low" | "normal" | "high" -> -10 | 0 | 10; anything else -> nullopt.
std::optional<int> parse_priority_name(std::string_view name);

// The ready order: true if a job (priority_a, seq_a) must be handed out before (priority_b, seq_b).
constexpr bool runs_before(int priority_a, std::int64_t seq_a, int priority_b, std::int64_t seq_b) {
  return priority_a != priority_b ? priority_a > priority_b : seq_a < seq_b;
}

}  // namespace corral::core
