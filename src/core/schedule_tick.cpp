#include "core/schedule_tick.hpp"

namespace corral::core {
namespace {

// A bound on the missed ticks stepped over to find the latest (a day of an every-second
// schedule).
constexpr int kMaxStepped = 100000;

}  // namespace

std::string_view to_string(Overlap o) { return o == Overlap::allow ? "allow" : "skip"; }
std::string_view to_string(CatchUp c) { return c == CatchUp::none ? "none" : "one"; }

std::optional<Overlap> parse_overlap(std::string_view s) {
  if (s == "allow") return Overlap::allow;
  if (s == "skip") return Overlap::skip;
  return std::nullopt;
}

std::optional<CatchUp> parse_catch_up(std::string_view s) {
  if (s == "none") return CatchUp::none;
  if (s == "one") return CatchUp::one;
  return std::nullopt;
}

TickDecision decide_tick(CronSpec const& spec, date::time_zone const& zone, TimePoint due, TimePoint now,
                         Overlap overlap, CatchUp catch_up, bool previous_running) {
  TickDecision d;
  auto tick = std::optional<TimePoint>(due);
  auto const missed_before = now - kLateGrace;
  if (due >= missed_before) {
    d.next_run_at = next_tick(spec, zone, due);
  } else {
    // The latest missed tick, for `one`; stepping stops at a bound, past which the latest found
    // stands for it.
    auto latest = due;
    auto next = next_tick(spec, zone, latest);
    for (int stepped = 0; next && *next < missed_before && stepped < kMaxStepped; ++stepped) {
      latest = *next;
      next = next_tick(spec, zone, latest);
    }
    if (next && *next < missed_before) next = next_tick(spec, zone, missed_before - Micros(1));
    d.next_run_at = next;
    tick = catch_up == CatchUp::one ? std::optional(latest) : std::nullopt;
  }
  if (tick && !(overlap == Overlap::skip && previous_running)) d.run = tick;
  return d;
}

std::string tick_key(std::string_view schedule, TimePoint tick) {
  return "schedule:" + std::string(schedule) + ":" + std::to_string(to_unix_micros(tick));
}

}  // namespace corral::core
