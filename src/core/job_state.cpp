#include "core/job_state.hpp"

namespace corral::core {

std::string_view to_string(JobState s) {
  switch (s) {
    case JobState::queued: return "queued";
    case JobState::scheduled: return "scheduled";
    case JobState::running: return "running";
    case JobState::retrying: return "retrying";
    case JobState::completed: return "completed";
    case JobState::failed: return "failed";
    case JobState::cancelled: return "cancelled";
    case JobState::waiting: return "waiting";
  }
  return "unknown";  // unreachable for a valid enumerator; keeps -Wreturn-type quiet
}

std::optional<JobState> parse_job_state(std::string_view s) {
  for (JobState state : kAllStates) {
    if (to_string(state) == s) return state;
  }
  return std::nullopt;
}

bool is_terminal(JobState s) {
  return s == JobState::completed || s == JobState::failed || s == JobState::cancelled;
}

}  // namespace corral::core
