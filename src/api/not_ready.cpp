#include "api/not_ready.hpp"

#include "core/number_text.hpp"

namespace corral::api {
namespace {

std::string count_of(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::optional<NotReady> why_not_ready(core::Job const& job, QueueInfo const* queue) {
  using core::JobState;
  switch (job.status) {
    case JobState::waiting:
      return NotReady{"parents", "waiting for " + count_of(job.parents_left, "parent", "parents") + " of " +
                                     std::to_string(job.depends_on.size()) + " to end"};
    case JobState::scheduled: return NotReady{"scheduled", "due at its run_at"};
    case JobState::retrying: return NotReady{"retrying", "an attempt failed; due again at its run_at (backoff)"};
    case JobState::queued: break;
    default: return std::nullopt;   // running, or ended
  }
  if (queue == nullptr) return std::nullopt;
  if (queue->paused) return NotReady{"queue_paused", "queue " + job.queue + " is paused"};
  auto const running = queue->counts[static_cast<std::size_t>(JobState::running)];
  if (auto const& max = queue->limits.max_running; max && running >= *max) {
    return NotReady{"concurrency_limit", "queue " + job.queue + " has " + count_of(running, "job", "jobs") +
                                             " running, its max_running"};
  }
  if (auto const& per_key = queue->limits.max_running_per_key; per_key && job.concurrency_key) {
    return NotReady{"concurrency_limit", "at most " + std::to_string(*per_key) + " of concurrency_key " +
                                             *job.concurrency_key + " run at once (max_running_per_key); it may wait for them"};
  }
  if (auto const& rate = queue->flow.rate_limit) {
    return NotReady{"rate_limit", "queue " + job.queue + " starts at most " + std::to_string(rate->jobs) + " jobs every " +
                                      core::format_number(rate->per_s) + " s; it may wait for a token"};
  }
  return std::nullopt;
}

}  // namespace corral::api
