#include "queue/schedule_plan.hpp"

#include "core/cron.hpp"
#include "core/job_state.hpp"
#include "core/schedule_tick.hpp"
#include "core/time_zone.hpp"

namespace corral::queue {
namespace {

core::Error field_error(std::string_view field, core::Error const& e) {
  return core::make_error(core::Errc::invalid_argument, std::string(field) + ": " + e.message);
}

}  // namespace

core::Result<std::optional<core::TimePoint>> first_run(Schedule const& schedule, core::TimePoint now) {
  auto spec = core::parse_cron(schedule.cron);
  if (!spec) return field_error("cron", spec.error());
  auto zone = core::find_time_zone(schedule.timezone);
  if (!zone) return field_error("timezone", zone.error());
  auto next = core::next_tick(*spec, **zone, now);
  if (!next) return core::make_error(core::Errc::invalid_argument, "cron: " + schedule.cron + " matches no time to come");
  if (schedule.paused) return std::optional<core::TimePoint>{};
  return next;
}

core::Result<Schedule> to_save(Schedule s, std::optional<Schedule> const& existing, SaveMode mode, core::TimePoint now) {
  if (existing && mode == SaveMode::create) {
    return core::make_error(core::Errc::wrong_state, "schedule " + s.name + " exists; change it with PATCH");
  }
  if (!existing && mode == SaveMode::replace) {
    return core::make_error(core::Errc::not_found, "schedule " + s.name + " not found");
  }
  auto next = first_run(s, now);
  if (!next) return next.error();
  s.next_run_at = *next;
  s.created_at = existing ? existing->created_at : now;
  s.updated_at = now;
  s.last_tick_at = existing ? existing->last_tick_at : std::nullopt;
  s.last_job_id = existing ? existing->last_job_id : std::nullopt;
  return s;
}

TickPlan plan_tick(Schedule const& schedule, core::TimePoint now, std::optional<core::JobState> previous,
                   JobBodyParser const& parse) {
  TickPlan plan{std::nullopt, ScheduleTick{schedule.name, schedule.next_run_at.value_or(now)}, schedule};
  plan.after.updated_at = now;
  auto spec = core::parse_cron(schedule.cron);
  auto zone = core::find_time_zone(schedule.timezone);
  if (!spec || !zone) {
    // Validated when saved; only a tzdata that lost the zone gets here. The schedule stops
    // rather than fire at a time nobody meant.
    plan.tick.error = !spec ? spec.error().message : zone.error().message;
    plan.after.next_run_at.reset();
    return plan;
  }
  auto const overlap = core::parse_overlap(schedule.overlap).value_or(core::Overlap::allow);
  auto const catch_up = core::parse_catch_up(schedule.catch_up).value_or(core::CatchUp::none);
  bool const running = previous && !core::is_terminal(*previous);
  auto const decision = core::decide_tick(*spec, **zone, plan.tick.tick, now, overlap, catch_up, running);
  plan.after.next_run_at = decision.next_run_at;
  if (!decision.run) return plan;
  plan.tick.tick = *decision.run;
  auto req = parse(schedule.job);
  if (!req) {
    plan.tick.error = "job: " + req.error().message;
    return plan;
  }
  req->idempotency_key = core::tick_key(schedule.name, *decision.run);
  req->schedule = schedule.name;
  req->scheduled_for = *decision.run;
  plan.enqueue = std::move(*req);
  plan.after.last_tick_at = *decision.run;
  return plan;
}

}  // namespace corral::queue
