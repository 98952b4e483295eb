#include "core/priority.hpp"

namespace corral::core {

std::optional<int> parse_priority_name(std::string_view name) {
  // Exact, case-sensitive names: the wire protocol documents them in lower case only.
  if (name == "low") return kPriorityLow;
  if (name == "normal") return kPriorityNormal;
  if (name == "high") return kPriorityHigh;
  return std::nullopt;
}

}  // namespace corral::core
