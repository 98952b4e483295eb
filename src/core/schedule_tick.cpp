#include "core/schedule_tick.hpp"

namespace corral::core {
namespace {

// A bound on the ticks stepped over to find the latest due one (a day of an every-second
// schedule): past it the latest found so far stands for it.
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
  auto latest = due;
  auto next = next_tick(spec, zone, latest);
  for (int stepped = 0; next && *next <= now && stepped < kMaxStepped; ++stepped) {
    latest = *next;
    next = next_tick(spec, zone, latest);
  }
  while (next && *next <= now) next = next_tick(spec, zone, *next);   // only past the bound
  d.next_run_at = next;
  bool const on_time = catch_up == CatchUp::one || now - latest <= kLateGrace;
  bool const blocked = overlap == Overlap::skip && previous_running;
  if (on_time && !blocked) d.run = latest;
  return d;
}

std::string tick_key(std::string_view schedule, TimePoint tick) {
  return "schedule:" + std::string(schedule) + ":" + std::to_string(to_unix_micros(tick));
}

}  // namespace corral::core
