// What a recurring schedule does when it is due: which tick (if any) gets a job, and when it is
// due next. Pure: the backends call it inside the transaction that enqueues the tick's job and
// stores the next run time, so both commit together or not at all.
//
// A tick at most kLateGrace late runs, each on its own, in order: a restart of a few seconds or a
// busy server loses no tick. A tick later than that was missed (the deployment was down):
// catch_up `none` skips the missed ticks, so a night's downtime runs no stale report; `one` runs
// the latest missed tick once, for all of them. Either way the ticks within the grace then run.
// overlap `skip` runs nothing for a tick while the schedule's previous job has not ended.
#pragma once

#include "core/cron.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace corral::core {

enum class Overlap { allow, skip };
enum class CatchUp { none, one };

std::string_view to_string(Overlap o);
std::string_view to_string(CatchUp c);
std::optional<Overlap> parse_overlap(std::string_view s);
std::optional<CatchUp> parse_catch_up(std::string_view s);

inline constexpr std::chrono::seconds kLateGrace{60};

struct TickDecision {
  std::optional<TimePoint> run;           // the tick to enqueue a job for
  std::optional<TimePoint> next_run_at;   // the tick after it (maybe due already); none: no tick follows
};

// The decision for a schedule due at `due` (<= now). `previous_running`: its last job exists and
// has not ended.
TickDecision decide_tick(CronSpec const& spec, date::time_zone const& zone, TimePoint due, TimePoint now,
                         Overlap overlap, CatchUp catch_up, bool previous_running);

// The idempotency key of the job of `schedule`'s tick at `tick`: one job per tick, whatever
// retries a crash or a second node makes.
std::string tick_key(std::string_view schedule, TimePoint tick);

}  // namespace corral::core
