#include "queue/postgres/schedule_ops.hpp"

#include "core/idempotency.hpp"
#include "queue/postgres/schedule_rows.hpp"
#include "queue/schedule_plan.hpp"

namespace corral::postgres {

DbResult<void> SaveScheduleOp::apply(Batch& batch) {
  auto existing = schedule_lock(batch.conn(), schedule_.name);
  if (!existing) return existing.error();
  auto saved = queue::to_save(schedule_, *existing, mode_, batch.now());
  if (!saved) {
    out_ = saved.error();
    return {};
  }
  if (auto w = schedule_write(batch.conn(), *saved); !w) return w.error();
  out_ = std::move(*saved);
  return {};
}

DbResult<void> RunSchedulesOp::apply(Batch& batch) {
  queue::ScheduleRunResult out;
  out.now = batch.now();
  auto due = schedule_lock_due(batch.conn(), batch.now(), req_.limit);
  if (!due) return due.error();
  for (auto const& s : *due) {
    std::optional<core::JobState> previous;
    if (s.last_job_id) {
      auto state = schedule_job_state(batch.conn(), *s.last_job_id);
      if (!state) return state.error();
      previous = *state;
    }
    auto plan = queue::plan_tick(s, batch.now(), previous, req_.parse);
    if (plan.enqueue) {
      auto id = enqueue(batch, *plan.enqueue);
      if (!id) return id.error();
      if (*id) {
        plan.tick.job_id = plan.after.last_job_id = **id;
      } else {
        plan.tick.error = "job: " + id->error().message;
        plan.after.last_tick_at = s.last_tick_at;
      }
    }
    if (auto w = schedule_write(batch.conn(), plan.after); !w) return w.error();
    out.ticks.push_back(std::move(plan.tick));
  }
  auto next = schedule_next_due(batch.conn());
  if (!next) return next.error();
  out.next_due = *next;
  out_ = std::move(out);
  return {};
}

DbResult<core::Result<std::string>> RunSchedulesOp::enqueue(Batch& batch, core::EnqueueRequest const& req) {
  auto const key = *core::idempotency_key_of(req);
  auto existing = batch.jobs_by_key({key});
  if (!existing) return existing.error();
  if (auto e = existing->find(key.slot()); e != existing->end()) return core::Result<std::string>(e->second.id);
  if (auto earlier = batch.inserted_with_key(key)) return core::Result<std::string>(batch.new_job(*earlier).job.id);
  auto type = batch.job_types().find(req.type);
  auto job = core::make_job(req, type == batch.job_types().end() ? nullptr : &type->second, batch.new_id(), 0,
                            batch.now());
  if (!job) return core::Result<std::string>(job.error());
  if (job->trace_id.empty()) job->trace_id = batch.new_trace_id();
  auto id = job->id;
  batch.insert(std::move(*job));
  return core::Result<std::string>(std::move(id));
}

}  // namespace corral::postgres
