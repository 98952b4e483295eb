#include "core/job.hpp"

namespace corral::core {

namespace {

constexpr AttemptOutcome kAllOutcomes[] = {
    AttemptOutcome::running,       AttemptOutcome::completed, AttemptOutcome::failed,
    AttemptOutcome::lease_expired, AttemptOutcome::timed_out, AttemptOutcome::cancelled,
    AttemptOutcome::released,
};

}  // namespace

std::string_view to_string(AttemptOutcome o) {
  switch (o) {
    case AttemptOutcome::running: return "running";
    case AttemptOutcome::completed: return "completed";
    case AttemptOutcome::failed: return "failed";
    case AttemptOutcome::lease_expired: return "lease_expired";
    case AttemptOutcome::timed_out: return "timed_out";
    case AttemptOutcome::cancelled: return "cancelled";
    case AttemptOutcome::released: return "released";
  }
  return "unknown";  // unreachable for a valid enumerator
}

std::optional<AttemptOutcome> parse_attempt_outcome(std::string_view s) {
  for (AttemptOutcome outcome : kAllOutcomes) {
    if (to_string(outcome) == s) return outcome;
  }
  return std::nullopt;
}

}  // namespace corral::core
