#include "queue/rollup.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace corral::queue {
namespace {

using K = core::JobEventKind;

std::int64_t floor_to(std::int64_t s, std::int64_t span) { return s - ((s % span) + span) % span; }

std::int64_t unix_s(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

struct Histogram {
  std::int64_t sum_us = 0;
  std::array<std::int64_t, kBuckets> buckets{};
};

api::DurationSummary summary_of(Histogram const& h) {
  api::DurationSummary s;
  for (auto n : h.buckets) s.count += n;
  if (s.count == 0) return s;
  s.mean_s = static_cast<double>(h.sum_us) / 1e6 / static_cast<double>(s.count);
  s.p50_s = quantile_s(0.50, h.buckets);
  s.p95_s = quantile_s(0.95, h.buckets);
  s.p99_s = quantile_s(0.99, h.buckets);
  return s;
}

}  // namespace

std::int64_t bucket_upper_us(std::size_t bucket) {
  if (bucket + 1 >= kBuckets) return std::numeric_limits<std::int64_t>::max();
  return std::int64_t{1000} << bucket;
}

std::size_t bucket_of(core::Micros d) {
  for (std::size_t i = 0; i + 1 < kBuckets; ++i) {
    if (d.count() <= bucket_upper_us(i)) return i;
  }
  return kBuckets - 1;
}

Rollup::Tally& Rollup::tally_for(core::JobEvent const& e, std::int64_t minute_s) {
  if (last_ != cells_.end() && last_->first.minute_s == minute_s && last_->first.queue == e.queue &&
      last_->first.type == e.type) {
    return last_->second;
  }
  last_ = cells_.try_emplace(Cell{minute_s, e.queue, e.type}).first;
  return last_->second;
}

void Rollup::add(core::JobEvent const& e) {
  // A deleted job's event repeats its last attempt's end (event_of): counted when it happened.
  if (e.kind == K::deleted || e.kind == K::pruned) return;
  bool const counted = e.kind == K::completed || e.kind == K::failed || e.kind == K::lease_expired;
  if (!counted && !e.queue_wait && !e.run_time && !e.error) return;
  auto const minute = floor_to(unix_s(e.at), kMinuteS);
  auto& t = tally_for(e, minute);
  if (e.kind == K::completed) ++t.completed;
  if (e.kind == K::failed) ++t.failed;
  if (e.kind == K::lease_expired) ++t.lease_expired;
  if (e.queue_wait) {
    t.wait_sum_us += e.queue_wait->count();
    ++t.wait[bucket_of(*e.queue_wait)];
  }
  if (e.run_time) {
    t.run_sum_us += e.run_time->count();
    ++t.run[bucket_of(*e.run_time)];
  }
  if (e.error) {
    auto& tally = errors_[ErrorKey{minute, e.queue, e.type, e.error->code}];
    ++tally.count;
    tally.message = e.error->message;
    tally.last_seen_us = core::to_unix_micros(e.at);
  }
}

std::map<RollupKey, std::int64_t> Rollup::counts() const {
  std::map<RollupKey, std::int64_t> out;
  for (auto const& [cell, t] : cells_) {
    auto put = [&](int metric, std::int64_t n) {
      if (n == 0) return;
      for (auto span : {kMinuteS, kHourS}) {
        out[RollupKey{span, floor_to(cell.minute_s, span), cell.queue, cell.type, metric}] += n;
      }
    };
    put(metric::kCompleted, t.completed);
    put(metric::kFailed, t.failed);
    put(metric::kLeaseExpired, t.lease_expired);
    put(metric::kQueueWaitSumUs, t.wait_sum_us);
    put(metric::kRunTimeSumUs, t.run_sum_us);
    for (std::size_t i = 0; i < kBuckets; ++i) {
      put(metric::kQueueWaitBucket + static_cast<int>(i), t.wait[i]);
      put(metric::kRunTimeBucket + static_cast<int>(i), t.run[i]);
    }
  }
  return out;
}

std::int64_t span_of(api::StatsWindow w) { return w == api::StatsWindow::hour ? kMinuteS : kHourS; }

std::int64_t steps_of(api::StatsWindow w) {
  switch (w) {
    case api::StatsWindow::hour: return 60;
    case api::StatsWindow::day: return 24;
    case api::StatsWindow::week: return 7 * 24;
  }
  return 60;
}

std::int64_t window_start_s(api::StatsWindow w, core::TimePoint now) {
  auto const span = span_of(w);
  return floor_to(unix_s(now), span) - (steps_of(w) - 1) * span;
}

double quantile_s(double q, std::array<std::int64_t, kBuckets> const& buckets) {
  std::int64_t total = 0;
  for (auto n : buckets) total += n;
  if (total == 0) return 0;
  double const rank = q * static_cast<double>(total);
  std::int64_t below = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    if (buckets[i] == 0 || static_cast<double>(below + buckets[i]) < rank) {
      below += buckets[i];
      continue;
    }
    double const lower = i == 0 ? 0.0 : static_cast<double>(bucket_upper_us(i - 1));
    // As histogram_quantile: the +Inf bucket has no upper bound, so its estimate is its lower one.
    if (i + 1 == kBuckets) return lower / 1e6;
    double const upper = static_cast<double>(bucket_upper_us(i));
    double const within = (rank - static_cast<double>(below)) / static_cast<double>(buckets[i]);
    return (lower + (upper - lower) * within) / 1e6;
  }
  return static_cast<double>(bucket_upper_us(kBuckets - 2)) / 1e6;
}

void fill_from_rollups(api::Stats& stats, std::span<RollupRow const> rows, std::span<ErrorRow const> errors) {
  auto const span = span_of(stats.window);
  auto const first = window_start_s(stats.window, stats.now);
  auto const steps = steps_of(stats.window);
  stats.series.assign(static_cast<std::size_t>(steps), {});
  for (std::int64_t i = 0; i < steps; ++i) {
    stats.series[static_cast<std::size_t>(i)].start = core::TimePoint(std::chrono::seconds(first + i * span));
  }
  std::map<std::string, Histogram> waits, runs;
  for (auto const& row : rows) {
    if (row.start_s < first || row.start_s >= first + steps * span) continue;
    auto& point = stats.series[static_cast<std::size_t>((row.start_s - first) / span)];
    auto const m = row.metric;
    if (m == metric::kCompleted) point.completed += row.n;
    else if (m == metric::kFailed) point.failed += row.n;
    else if (m == metric::kQueueWaitSumUs) waits[row.type].sum_us += row.n;
    else if (m == metric::kRunTimeSumUs) runs[row.type].sum_us += row.n;
    else if (m >= metric::kQueueWaitBucket && m < metric::kQueueWaitBucket + static_cast<int>(kBuckets))
      waits[row.type].buckets[static_cast<std::size_t>(m - metric::kQueueWaitBucket)] += row.n;
    else if (m >= metric::kRunTimeBucket && m < metric::kRunTimeBucket + static_cast<int>(kBuckets))
      runs[row.type].buckets[static_cast<std::size_t>(m - metric::kRunTimeBucket)] += row.n;
  }
  for (auto const& p : stats.series) {
    stats.completed += p.completed;
    stats.failed += p.failed;
  }
  if (stats.completed + stats.failed > 0) {
    stats.success_rate = static_cast<double>(stats.completed) / static_cast<double>(stats.completed + stats.failed);
  }
  for (auto const& [type, h] : waits) stats.queue_wait[type] = summary_of(h);
  for (auto const& [type, h] : runs) stats.run_time[type] = summary_of(h);

  // Errors by code over the window: counts add up, the latest message is the sample.
  std::map<std::string, std::pair<api::ErrorCount, std::set<std::string>>> by_code;
  for (auto const& row : errors) {
    auto& [e, types] = by_code[row.code];
    e.code = row.code;
    e.count += row.count;
    auto const seen = core::from_unix_micros(row.last_seen_us);
    if (e.message.empty() || seen >= e.last_seen) {
      e.last_seen = seen;
      e.message = row.message;
    }
    types.insert(row.type);
  }
  for (auto& [code, entry] : by_code) {
    entry.first.types.assign(entry.second.begin(), entry.second.end());
    stats.errors.push_back(std::move(entry.first));
  }
  std::stable_sort(stats.errors.begin(), stats.errors.end(),
                   [](api::ErrorCount const& a, api::ErrorCount const& b) { return a.count > b.count; });
  if (stats.errors.size() > api::Stats::kMaxErrors) stats.errors.resize(api::Stats::kMaxErrors);
}

void fill_counts(api::Stats& stats, std::map<CountKey, api::StateCounts> const& counts, api::StatsQuery const& query) {
  auto add = [](api::StateCounts& to, api::StateCounts const& from) {
    for (std::size_t i = 0; i < to.size(); ++i) to[i] += from[i];
  };
  for (auto const& [key, c] : counts) {
    if (query.queue && key.queue != *query.queue) continue;
    if (query.type && key.type != *query.type) continue;
    bool any = false;
    for (auto n : c) any = any || n != 0;
    if (!any) continue;
    add(stats.by_queue[key.queue], c);
    add(stats.by_type[key.type], c);
    add(stats.by_priority[key.priority], c);
  }
}

void fill_workers(api::Stats& stats, std::span<SightingRow const> sightings,
                  std::map<std::string, std::int64_t> const& running, api::StatsQuery const& query) {
  std::map<std::string, std::pair<api::WorkerSeen, std::set<std::string>>> by_id;
  for (auto const& s : sightings) {
    if (query.queue && s.queue != *query.queue) continue;
    auto& [w, queues] = by_id[s.worker_id];
    w.worker_id = s.worker_id;
    w.last_seen = std::max(w.last_seen, core::from_unix_micros(s.last_seen_us));
    queues.insert(s.queue);
  }
  for (auto& [id, entry] : by_id) {
    auto& [w, queues] = entry;
    w.queues.assign(queues.begin(), queues.end());
    if (auto r = running.find(id); r != running.end()) w.jobs_running = r->second;
    if (id.empty()) stats.anonymous = std::move(w);
    else stats.workers.push_back(std::move(w));
  }
}

void fill_outcomes(api::HealthFacts& facts, std::span<RollupRow const> minute_rows,
                   std::span<SightingRow const> sightings) {
  std::set<std::string_view> workers;
  for (auto const& s : sightings) {
    if (!s.worker_id.empty()) workers.insert(s.worker_id);
  }
  facts.workers_seen = static_cast<std::int64_t>(workers.size());
  auto const hour_start = window_start_s(api::StatsWindow::hour, facts.now);
  auto const quarter_start = hour_start + 45 * kMinuteS;   // the last 15 of the hour's 60 minutes
  for (auto const& row : minute_rows) {
    if (row.start_s < hour_start) continue;
    if (row.metric == metric::kCompleted) facts.completed_last_hour += row.n;
    if (row.metric == metric::kFailed) facts.failed_last_hour += row.n;
    if (row.metric == metric::kLeaseExpired && row.start_s >= quarter_start) facts.leases_expired_last_15m += row.n;
  }
}

}  // namespace corral::queue
