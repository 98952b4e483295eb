// The eight states of a job. Enumerators equal their wire names.
#pragma once

#include <optional>
#include <string_view>

namespace corral::core {

enum class JobState {
  queued,     // Ready to be fetched. Leaves on fetch (-> running) or cancel. Deadline: none, it is
              // in a ready heap; a queue with no live worker is reported by health, not hidden.
  scheduled,  // Waiting for run_at. Leaves when run_at is reached (-> queued) or on cancel.
              // Deadline: run_at.
  running,    // Leased to a worker. Leaves on complete, fail, release or lease expiry.
              // Deadline: lease_expires_at.
  retrying,   // An attempt failed; waiting for its backoff. Leaves at run_at (-> queued) or on
              // cancel. Deadline: run_at.
  completed,  // Terminal: a worker reported success.
  failed,     // Terminal: the dead-letter list (attempts exhausted or a permanent error).
              // Leaves only on a manual retry.
  cancelled,  // Terminal: cancelled by a person or a program. Leaves only on a manual retry.
  waiting,    // Waiting for its parents (depends_on) to end. Leaves when the last one ends (-> queued
              // or scheduled), when one fails for good or is cancelled (-> cancelled, unless it runs
              // anyway), on cancel, or at its start_by. Deadline: its start_by, if any; else none:
              // its parents' ends move it. Last in the enum, so the others keep their numbers.
};

inline constexpr JobState kAllStates[] = {JobState::queued,    JobState::scheduled, JobState::running,
                                          JobState::retrying,  JobState::completed, JobState::failed,
                                          JobState::cancelled, JobState::waiting};

std::string_view to_string(JobState s);
std::optional<JobState> parse_job_state(std::string_view s);
bool is_terminal(JobState s);

}  // namespace corral::core
