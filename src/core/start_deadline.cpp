#include "core/start_deadline.hpp"

namespace corral::core {

JobError start_expired_error() {
  return JobError{"expired", "not started by its start_by deadline", false};
}

std::optional<TimePoint> pending_start_by(Job const& job) {
  bool const not_started =
      job.status == JobState::queued || job.status == JobState::scheduled || job.status == JobState::waiting;
  if (!not_started || job.started_at || !job.start_by) return std::nullopt;
  return job.start_by;
}

bool start_expired(Job const& job, TimePoint now) {
  auto const by = pending_start_by(job);
  return by && *by <= now;
}

}  // namespace corral::core
