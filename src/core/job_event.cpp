#include "core/job_event.hpp"

#include <algorithm>
#include <array>

namespace corral::core {
namespace {

using K = JobEventKind;

constexpr std::array<std::pair<K, std::string_view>, 19> kNames = {{
    {K::enqueued, "enqueued"},
    {K::scheduled, "scheduled"},
    {K::ready, "ready"},
    {K::started, "started"},
    {K::progress, "progress"},
    {K::heartbeat, "heartbeat"},
    {K::cancel_requested, "cancel_requested"},
    {K::released, "released"},
    {K::retrying, "retrying"},
    {K::completed, "completed"},
    {K::failed, "failed"},
    {K::cancelled, "cancelled"},
    {K::lease_expired, "lease_expired"},
    {K::timed_out, "timed_out"},
    {K::retried, "retried"},
    {K::deleted, "deleted"},
    {K::pruned, "pruned"},
    {K::waiting, "waiting"},
    {K::parent_ended, "parent_ended"},
}};

constexpr auto kKinds = [] {
  std::array<K, kNames.size()> out{};
  for (std::size_t i = 0; i < kNames.size(); ++i) out[i] = kNames[i].first;
  return out;
}();

// The attempt this change ended, if it ended one: apply() stamps an attempt's end and the job's
// update with the same instant.
Attempt const* ended_attempt(Job const& job) {
  if (job.attempts.empty()) return nullptr;
  auto const& last = job.attempts.back();
  return last.ended_at && *last.ended_at == job.updated_at ? &last : nullptr;
}

}  // namespace

std::span<JobEventKind const> all_job_event_kinds() { return kKinds; }

std::string_view to_string(JobEventKind k) {
  for (auto const& [kind, name] : kNames) {
    if (kind == k) return name;
  }
  return "unknown";
}

std::optional<JobEventKind> parse_job_event_kind(std::string_view s) {
  for (auto const& [kind, name] : kNames) {
    if (name == s) return kind;
  }
  return std::nullopt;
}

JobEventKind arrival_kind(Job const& job) {
  switch (job.status) {
    case JobState::queued: return K::enqueued;
    case JobState::waiting: return K::waiting;
    case JobState::cancelled: return K::cancelled;   // a parent had already failed
    default: return K::scheduled;
  }
}

namespace {

// One body for a job that is kept (copied from) and one that is done with (moved from): `Forward`
// is forward<J>, so the strings are moved when the caller gives the job up.
template <class J>
JobEvent make_event(JobEventKind kind, J&& job, TimePoint at) {
  JobEvent e;
  e.kind = kind;
  e.at = at;
  e.priority = job.priority;
  e.status = job.status;
  e.attempt = job.attempt;
  if (job.status == JobState::scheduled || job.status == JobState::retrying) e.run_at = job.run_at;
  if (kind == K::started && job.started_at) e.queue_wait = std::max(Micros{0}, *job.started_at - job.run_at);
  auto const* ended = ended_attempt(job);
  if (ended) e.run_time = std::max(Micros{0}, *ended->ended_at - ended->started_at);
  if (ended && ended->error) e.error = ended->error;
  // A job cancelled before it ever started has an error only if its start-by deadline ended it.
  if (kind == K::cancelled && job.attempts.empty() && job.error) e.error = job.error;
  if (!job.worker_id && ended && !ended->worker_id.empty()) e.worker_id = ended->worker_id;
  if (job.worker_id) e.worker_id = std::forward<J>(job).worker_id;
  if (kind == K::progress) e.progress = std::forward<J>(job).progress;
  if (kind == K::completed) e.result = std::forward<J>(job).result;
  e.job_id = std::forward<J>(job).id;
  e.queue = std::forward<J>(job).queue;
  e.type = std::forward<J>(job).type;
  e.owner = std::forward<J>(job).owner;
  e.trace_id = std::forward<J>(job).trace_id;
  return e;
}

}  // namespace

JobEvent event_of(JobEventKind kind, Job const& job, TimePoint at) { return make_event(kind, job, at); }
JobEvent event_of(JobEventKind kind, Job&& job, TimePoint at) { return make_event(kind, std::move(job), at); }

bool ends_job(JobEvent const& e) {
  return e.kind == K::deleted || e.kind == K::pruned || is_terminal(e.status);
}

}  // namespace corral::core
