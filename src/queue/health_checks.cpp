#include "queue/health_checks.hpp"

#include "core/number_text.hpp"

#include <algorithm>
#include <cmath>

namespace corral::queue {
namespace {

using api::HealthCheck;
using api::HealthStatus;

std::string num(double x) { return core::format_number(std::round(x * 100) / 100); }
std::string percent(double fraction) { return num(fraction * 100) + "%"; }

double seconds_since(core::TimePoint then, core::TimePoint now) {
  return std::max(0.0, std::chrono::duration<double>(now - then).count());
}

HealthCheck check(std::string name, bool bad, HealthStatus if_bad, double value, double threshold,
                  std::string const& ok, std::string const& wrong) {
  return HealthCheck{std::move(name), bad ? if_bad : HealthStatus::healthy, value, threshold, bad ? wrong : ok};
}

// The use of one of the HTTP layer's limits: `n` of `max` held.
HealthCheck use_check(std::string name, std::size_t n, std::size_t max, double limit, std::string const& what,
                      std::string const& remedy) {
  double const used = max == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(max);
  auto const said = std::to_string(n) + " of " + std::to_string(max) + " " + what;
  return check(std::move(name), used > limit, HealthStatus::degraded, used, limit, said, said + ": " + remedy);
}

void check_queue(api::QueueHealth const& q, core::TimePoint now, api::HealthThresholds const& limits,
                 std::vector<HealthCheck>& out) {
  auto const& name = q.name;
  if (q.paused) {
    std::string const exempt = "queue " + name + " is paused: its ready jobs wait on purpose";
    out.push_back({"ready_backlog:" + name, HealthStatus::healthy, static_cast<double>(q.ready),
                   static_cast<double>(limits.max_ready), exempt});
    out.push_back({"queue_without_worker:" + name, HealthStatus::healthy, 0, limits.no_worker_s, exempt});
    return;
  }
  auto const ready = static_cast<double>(q.ready);
  out.push_back(check("ready_backlog:" + name, q.ready > limits.max_ready, HealthStatus::degraded, ready,
                      static_cast<double>(limits.max_ready),
                      "queue " + name + " has " + num(ready) + " ready jobs",
                      "queue " + name + " has " + num(ready) + " ready jobs, more than " +
                          std::to_string(limits.max_ready) + ": add workers for it or find what slows them"));
  double const age = q.oldest_ready_at ? seconds_since(*q.oldest_ready_at, now) : 0;
  out.push_back(check("oldest_ready:" + name, age > limits.max_ready_age_s, HealthStatus::degraded, age,
                      limits.max_ready_age_s,
                      q.ready == 0 ? "queue " + name + " has no ready jobs"
                                   : "the oldest ready job of queue " + name + " has waited " + num(age) + " s",
                      "the oldest ready job of queue " + name + " has waited " + num(age) + " s, more than " +
                          num(limits.max_ready_age_s) + " s: its workers do not keep up"));
  auto const idle = idle_with_work_s(q, now);
  out.push_back(check("queue_without_worker:" + name, idle && *idle >= limits.no_worker_s, HealthStatus::unhealthy,
                      idle.value_or(0), limits.no_worker_s,
                      idle ? "queue " + name + " has had ready jobs without a fetch for " + num(*idle) + " s"
                           : "queue " + name + " has no ready jobs",
                      "queue " + name + " has " + num(ready) + " ready jobs and no worker has fetched from it for " +
                          num(idle.value_or(0)) + " s: start a worker for queue " + name + " (or pause it)"));
}

}  // namespace

std::vector<api::QueueHealth> queue_health_of(std::vector<api::QueueInfo> const& queues,
                                              std::map<std::string, core::TimePoint> const& oldest_ready,
                                              std::map<std::string, std::int64_t> const& last_fetch_us) {
  std::vector<api::QueueHealth> out;
  for (auto const& q : queues) {
    api::QueueHealth h{q.name, q.paused, q.counts[static_cast<std::size_t>(core::JobState::queued)], {}, {}};
    if (auto it = oldest_ready.find(q.name); it != oldest_ready.end()) h.oldest_ready_at = it->second;
    if (auto it = last_fetch_us.find(q.name); it != last_fetch_us.end()) {
      h.last_fetch_at = core::from_unix_micros(it->second);
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<double> idle_with_work_s(api::QueueHealth const& q, core::TimePoint now) {
  if (q.paused || q.ready == 0 || !q.oldest_ready_at) return std::nullopt;
  auto since = *q.oldest_ready_at;
  if (q.last_fetch_at) since = std::max(since, *q.last_fetch_at);
  return seconds_since(since, now);
}

api::Health judge(api::HealthFacts const& facts, std::optional<api::AdmissionUse> const& use,
                  api::HealthThresholds const& limits) {
  api::Health health;
  auto& out = health.checks;

  auto const ended = facts.completed_last_hour + facts.failed_last_hour;
  double const rate = ended == 0 ? 1.0 : static_cast<double>(facts.completed_last_hour) / static_cast<double>(ended);
  out.push_back(check("success_rate", ended > 0 && rate < limits.min_success_rate, HealthStatus::degraded, rate,
                      limits.min_success_rate,
                      ended == 0 ? "no job ended in the last hour"
                                 : percent(rate) + " of the " + std::to_string(ended) +
                                       " jobs that ended in the last hour completed",
                      "only " + percent(rate) + " of the " + std::to_string(ended) +
                          " jobs that ended in the last hour completed (threshold " +
                          percent(limits.min_success_rate) +
                          "): look at the most frequent errors (corral stats) and the failed jobs"));

  auto const expired = static_cast<double>(facts.leases_expired_last_15m);
  out.push_back(check("expired_leases", facts.leases_expired_last_15m > limits.max_expired_leases,
                      HealthStatus::degraded, expired, static_cast<double>(limits.max_expired_leases),
                      num(expired) + " leases expired in the last 15 minutes",
                      num(expired) + " leases expired in the last 15 minutes, more than " +
                          std::to_string(limits.max_expired_leases) +
                          ": workers stopped heartbeating (crashed, hung or overloaded); check the workers"));

  for (auto const& q : facts.queues) check_queue(q, facts.now, limits, out);

  out.push_back({"storage_writable", facts.writable ? HealthStatus::healthy : HealthStatus::unhealthy,
                 facts.writable ? 1.0 : 0.0, 1,
                 facts.writable ? "the database takes writes"
                                : "the database takes no writes: " + facts.not_writable_reason});
  out.push_back(check("commit_latency", facts.commit_latency_s > limits.max_commit_latency_s, HealthStatus::degraded,
                      facts.commit_latency_s, limits.max_commit_latency_s,
                      "the slowest commit of the last minute took " + num(facts.commit_latency_s * 1000) + " ms",
                      "the slowest commit of the last minute took " + num(facts.commit_latency_s * 1000) +
                          " ms, more than " + num(limits.max_commit_latency_s * 1000) +
                          " ms: the disk or the database is slow or overloaded"));

  if (use) {
    out.push_back(use_check("connections", use->connections, use->max_connections, limits.max_connection_use,
                            "connections open", "raise max_connections or find the clients that hold them"));
    out.push_back(use_check("long_polls", use->long_polls, use->max_long_polls, limits.max_long_poll_use,
                            "long-polls waiting", "raise max_long_polls or run fewer idle workers"));
  }

  for (auto const& c : out) health.status = std::max(health.status, c.status);
  return health;
}

}  // namespace corral::queue
