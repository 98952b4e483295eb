#include "core/job.hpp"

namespace corral::core {

namespace {

constexpr AttemptOutcome kAllOutcomes[] = {
    AttemptOutcome::running,       AttemptOutcome::completed, AttemptOutcome::failed,
    AttemptOutcome::lease_expired, AttemptOutcome::timed_out, AttemptOutcome::cancelled,
    AttemptOutcome::released,
};

template <class T>
FieldUpdate<T> setting_field(std::optional<T> const& value) {
  return value ? FieldUpdate<T>(std::in_place, value) : FieldUpdate<T>();
}

template <class T>
void merge_field(std::optional<T>& field, FieldUpdate<T> const& update) {
  if (update) field = *update;
}

}  // namespace

ProgressUpdate ProgressUpdate::setting(Progress const& p) {
  return ProgressUpdate{.percent = setting_field(p.percent),
                        .stage = setting_field(p.stage),
                        .message = setting_field(p.message),
                        .current = setting_field(p.current),
                        .total = setting_field(p.total)};
}

std::optional<Progress> merge(std::optional<Progress> progress, ProgressUpdate const& update) {
  Progress merged = progress.value_or(Progress{});
  merge_field(merged.percent, update.percent);
  merge_field(merged.stage, update.stage);
  merge_field(merged.message, update.message);
  merge_field(merged.current, update.current);
  merge_field(merged.total, update.total);
  if (merged == Progress{}) return std::nullopt;
  return merged;
}

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

std::string_view to_string(StageStatus s) {
  switch (s) {
    case StageStatus::pending: return "pending";
    case StageStatus::running: return "running";
    case StageStatus::done: return "done";
  }
  return "unknown";  // unreachable for a valid enumerator
}

std::optional<StageStatus> parse_stage_status(std::string_view s) {
  for (StageStatus status : {StageStatus::pending, StageStatus::running, StageStatus::done}) {
    if (to_string(status) == s) return status;
  }
  return std::nullopt;
}

std::string_view to_string(OnParentFailure p) { return p == OnParentFailure::run ? "run" : "cancel"; }

std::optional<OnParentFailure> parse_on_parent_failure(std::string_view s) {
  for (OnParentFailure p : {OnParentFailure::cancel, OnParentFailure::run}) {
    if (to_string(p) == s) return p;
  }
  return std::nullopt;
}

std::string_view to_string(WebhookState s) {
  switch (s) {
    case WebhookState::pending: return "pending";
    case WebhookState::delivered: return "delivered";
    case WebhookState::failed: return "failed";
  }
  return "unknown";  // unreachable for a valid enumerator
}

std::optional<WebhookState> parse_webhook_state(std::string_view s) {
  for (WebhookState state : {WebhookState::pending, WebhookState::delivered, WebhookState::failed}) {
    if (to_string(state) == s) return state;
  }
  return std::nullopt;
}

}  // namespace corral::core
