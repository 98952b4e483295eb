#include "core/dependencies.hpp"

#include <set>
#include <string_view>

namespace corral::core {

ParentOutcome outcome_of(Job const& parent) {
  ParentOutcome out{parent.id, parent.status, std::nullopt};
  if (parent.status == JobState::completed) out.result = parent.result;
  return out;
}

JobError parent_failed_error(std::string const& parent_id, JobState parent_status) {
  std::string_view const how = parent_status == JobState::cancelled ? "was cancelled" : "failed";
  return JobError{"parent_failed", "parent " + parent_id + " " + std::string(how), false};
}

Result<void> join_parents(Job& child, std::span<Job const* const> parents, TimePoint now) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < child.depends_on.size(); ++i) {
    auto const& id = child.depends_on[i];
    auto const field = "depends_on[" + std::to_string(i) + "]";
    if (!seen.insert(id).second) return make_error(Errc::invalid_argument, field + " names " + id + " twice");
    if (i >= parents.size() || parents[i] == nullptr) {
      return make_error(Errc::invalid_argument, field + ": no job " + id);
    }
  }
  child.parents_left = 0;
  std::vector<ParentOutcome> outcomes;
  for (auto const* parent : parents) {
    if (!is_terminal(parent->status)) {
      ++child.parents_left;
      continue;
    }
    if (parent->status != JobState::completed && child.on_parent_failure == OnParentFailure::cancel) {
      child.status = JobState::cancelled;
      child.completed_at = now;
      child.error = parent_failed_error(parent->id, parent->status);
      child.parents_left = 0;
      return {};
    }
    outcomes.push_back(outcome_of(*parent));
  }
  if (child.parents_left > 0) {
    child.status = JobState::waiting;
  } else {
    child.parents = std::move(outcomes);
  }
  return {};
}

}  // namespace corral::core
