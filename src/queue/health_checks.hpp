// GET /api/v1/health as pure functions: the backend's facts and the HTTP layer's use of its limits,
// judged against the thresholds (settings). Each check says in words what is wrong and what to do
// about it, or that all is well; the status of the whole is the worst of its checks.
//
// Unhealthy (503) only for what stops work outright: storage that takes no writes, and ready work
// that no worker fetches. The others (a low success rate, stalled workers, a backlog, old work,
// slow commits, limits nearly reached) are degraded: worth a look, but the server serves.
// Paused queues are exempt from the backlog, age and no-worker checks: their work waits on purpose.
//
// Pure: no I/O, no clock (facts.now is the instant judged).
#pragma once

#include "api/stats.hpp"

#include <map>

#include <optional>
#include <string_view>

namespace corral::queue {

api::Health judge(api::HealthFacts const& facts, std::optional<api::AdmissionUse> const& use,
                  api::HealthThresholds const& limits);

// How long a queue's ready work has waited for a fetch: from when it became ready or from the last
// fetch on the queue, whichever is later. None when it has no ready work or is paused.
std::optional<double> idle_with_work_s(api::QueueHealth const& q, core::TimePoint now);

// The backends' facts per queue, from what each keeps: the queues with their counts and pause, when
// each queue's oldest ready job became ready, and its last fetch (unix microseconds).
std::vector<api::QueueHealth> queue_health_of(std::vector<api::QueueInfo> const& queues,
                                              std::map<std::string, core::TimePoint> const& oldest_ready,
                                              std::map<std::string, std::int64_t> const& last_fetch_us);

}  // namespace corral::queue
