// Job dependencies: a job enqueued with depends_on waits until its parents have ended.
//
// At enqueue, join_parents() looks at each parent as the backend found it: a parent that has
// ended already counts as ended; the others are counted in parents_left, and the child waits
// (JobState::waiting). Each later end of a parent is an event on the child (EventKind::
// parent_ended, in the transition table), which counts it down; the event of the last one carries
// how every parent ended, and makes the child ready (or scheduled, if its run_at is still to
// come). A parent that fails for good or is cancelled cancels the child with error parent_failed,
// unless the child was enqueued with on_parent_failure "run".
//
// A job can only name jobs that exist when it is enqueued, so no cycle can form: a parent is
// always older than its child. Pure: the backends find the parents and the children.
#pragma once

#include "core/error.hpp"
#include "core/job.hpp"

#include <span>

namespace corral::core {

// Sets up `child` (just made by make_job, with its depends_on) against its parents as found,
// in depends_on's order; nullptr: no such job (or not the child's owner's). Refuses an unknown or
// repeated id (invalid_argument naming depends_on[i]). Leaves the child waiting with its count of
// parents not yet ended, cancelled (a parent has already failed or been cancelled, and the child
// does not run anyway), or as make_job left it with every parent's outcome (all have ended).
Result<void> join_parents(Job& child, std::span<Job const* const> parents, TimePoint now);

// How `parent` ended, as its child is given it.
ParentOutcome outcome_of(Job const& parent);

// Whether a change of a job to `after` from `before` is the end its children wait for.
inline bool ends_for_children(std::optional<JobState> before, JobState after) {
  return is_terminal(after) && !(before && is_terminal(*before));
}

// The error of a child cancelled because `parent` failed for good or was cancelled.
JobError parent_failed_error(std::string const& parent_id, JobState parent_status);

}  // namespace corral::core
