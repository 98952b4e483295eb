#include "queue/owner_stats.hpp"

#include <algorithm>

namespace corral::queue {
namespace {

using K = core::JobEventKind;
using O = core::AttemptOutcome;

core::JobEvent event_at(OwnerJobRow const& job, K kind, core::TimePoint at) {
  core::JobEvent e;
  e.kind = kind;
  e.at = at;
  e.queue = job.queue;
  e.type = job.type;
  e.status = job.status;
  return e;
}

// The kind of the event that ended `a`, as the transition that ended it named it (job_event.hpp):
// only the job's last attempt can have failed it for good.
K end_kind(OwnerJobRow const& job, core::Attempt const& a, bool last) {
  switch (a.outcome) {
    case O::completed: return K::completed;
    case O::failed: return last && job.status == core::JobState::failed ? K::failed : K::retrying;
    case O::lease_expired: return K::lease_expired;
    case O::timed_out: return K::timed_out;
    case O::cancelled: return K::cancelled;
    case O::released:
    case O::running: break;
  }
  return K::released;
}

// What the job's attempts added to the rollups, as the events that recorded them did.
void add_job(Rollup& rollup, OwnerJobRow const& job) {
  for (std::size_t i = 0; i < job.attempts.size(); ++i) {
    auto const& a = job.attempts[i];
    bool const last = i + 1 == job.attempts.size();
    auto start = event_at(job, K::started, a.started_at);
    // A retry or a release sets a new run_at: it is the due time of the latest start only.
    if (last && job.run_at <= a.started_at) start.queue_wait = a.started_at - job.run_at;
    rollup.add(start);
    if (!a.ended_at) continue;
    auto end = event_at(job, end_kind(job, a, last), *a.ended_at);
    end.run_time = std::max(core::Micros{0}, *a.ended_at - a.started_at);
    end.error = a.error;
    rollup.add(end);
  }
}

}  // namespace

void fill_window_from_jobs(api::Stats& stats, std::span<OwnerJobRow const> jobs, api::StatsQuery const& query) {
  Rollup rollup;
  for (auto const& job : jobs) {
    if ((query.queue && job.queue != *query.queue) || (query.type && job.type != *query.type)) continue;
    add_job(rollup, job);
  }
  auto const span = span_of(stats.window);
  std::vector<RollupRow> rows;
  for (auto const& [key, n] : rollup.counts()) {
    if (key.span_s == span) rows.push_back({key.start_s, key.queue, key.type, key.metric, n});
  }
  // Rows outside the window fill_from_rollups skips; errors it takes as read, so they are kept to it here.
  auto const first = window_start_s(stats.window, stats.now);
  std::vector<ErrorRow> errors;
  for (auto const& [key, tally] : rollup.errors()) {
    if (key.start_s >= first) errors.push_back({key.type, key.code, tally.count, tally.message, tally.last_seen_us});
  }
  fill_from_rollups(stats, rows, errors);
}

void fill_oldest_ready(api::Stats& stats, std::map<std::string, core::TimePoint> const& oldest,
                       api::StatsQuery const& query) {
  for (auto const& [name, since] : oldest) {
    if (query.queue && name != *query.queue) continue;
    stats.oldest_ready_age_s[name] = std::max(0.0, std::chrono::duration<double>(stats.now - since).count());
  }
}

std::vector<api::QueueInfo> owner_queue_infos(std::vector<api::QueueInfo> const& all,
                                              std::map<CountKey, api::StateCounts> const& counts) {
  std::map<std::string, api::QueueInfo> by_name;
  for (auto const& [key, c] : counts) {
    auto [it, added] = by_name.try_emplace(key.queue);
    if (added) {
      auto settings = std::find_if(all.begin(), all.end(), [&](api::QueueInfo const& q) { return q.name == key.queue; });
      it->second = settings == all.end() ? api::QueueInfo{key.queue, false, {}, {}} : *settings;
      it->second.counts = {};
    }
    for (std::size_t i = 0; i < c.size(); ++i) it->second.counts[i] += c[i];
  }
  std::vector<api::QueueInfo> out;
  for (auto& [name, info] : by_name) out.push_back(std::move(info));
  return out;
}

}  // namespace corral::queue
