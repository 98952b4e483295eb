#include "queue/postgres/ops.hpp"

#include "core/idempotency.hpp"
#include "queue/dependencies.hpp"
#include "queue/postgres/dependency_rows.hpp"
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/queue_flow_rows.hpp"
#include "queue/postgres/queue_push_rows.hpp"

namespace corral::postgres {
namespace {

core::Error not_found(std::string const& id) {
  return core::make_error(core::Errc::not_found, "job " + id + " not found");
}

// The jobs a maintenance statement selects (and locks), read into Jobs.
DbResult<std::vector<core::Job>> select_jobs(Batch& batch, std::string const& name, std::string const& sql,
                                             std::vector<Param> params) {
  auto rows = batch.conn().query(name, sql, params);
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  return std::move(*jobs);
}

// Records `changed` (just changed by an expiry) made ready as well when its retry is due at once
// (core::due_at_once): the two commit together.
void ready_if_due(Batch& batch, core::Job const& before, core::Job const& changed) {
  if (!core::due_at_once(changed, batch.now())) return;
  auto ready = core::apply(changed, core::due_event(), batch.now());
  if (ready) batch.update(before, std::move(ready->job), ready->kind);
}

// One event on one job of the batch, through the core rules. The batch's clock (the database's)
// is `now`: a report on a lease that has run out by it is judged there as after the sweep, which
// comes only every tick; the expiry it undergoes instead is written like any change.
core::Result<core::Job> apply_event_in(Batch& batch, std::string const& id, core::Event ev) {
  auto const* job = batch.job(id);
  if (!job) return not_found(id);
  ev.unit_random = batch.unit_random();
  auto applied = core::apply(*job, ev, batch.now());
  if (!applied) return applied.error();
  if (!applied->changed) return std::move(applied->job);   // a resent report that already won: nothing to write
  auto reply_error = applied->reply_error;
  auto const& changed = batch.update(*job, std::move(applied->job), applied->kind);
  if (reply_error) {
    // Written, but the caller must hear why: the report came after its lease ran out, and the
    // job underwent the expiry instead, as the sweep would have done it.
    ready_if_due(batch, *job, changed);
    return *reply_error;
  }
  return changed;
}

// DELETE of one job of the batch: terminal jobs only.
core::Result<void> remove_in(Batch& batch, std::string const& id) {
  auto const* job = batch.job(id);
  if (!job) return not_found(id);
  if (!core::can_delete(job->status)) {
    return core::make_error(core::Errc::wrong_state, "job is " + std::string(core::to_string(job->status)) +
                                                         "; only completed, failed or cancelled jobs can be deleted");
  }
  batch.remove(*job, core::JobEventKind::deleted);
  return {};
}

}  // namespace

void EnqueueOp::reset() {
  ReplyOp::reset();
  sources_.clear();
}

void EnqueueOp::ids(std::vector<std::string>& out) const {
  for (auto const& r : reqs_) out.insert(out.end(), r.depends_on.begin(), r.depends_on.end());
}

DbResult<void> EnqueueOp::apply(Batch& batch) {
  // A request that names a batch: its id settled (one the server names is drawn like a job's),
  // and each job told it. Done once: a retried batch keeps the name.
  std::optional<std::string> batch_id = queue::batch_named(reqs_);
  bool batch_known = false;
  if (batch_id) {
    if (batch_id->empty()) batch_id = batch.new_id();
    queue::name_batch(reqs_, *batch_id);
    auto known = batch_exists(batch.conn(), *batch_id);
    if (!known) return known.error();
    batch_known = *known;
  }
  // Validate everything before recording anything: a batch request is all or nothing.
  std::vector<core::IdempotencyKey> keys;
  for (auto const& r : reqs_) {
    if (auto key = core::idempotency_key_of(r)) keys.push_back(std::move(*key));
  }
  auto existing = batch.jobs_by_key(keys);
  if (!existing) return existing.error();
  sources_.assign(reqs_.size(), Source{});
  std::vector<std::optional<core::Job>> fresh(reqs_.size());
  std::vector<queue::EnqueueResult> so_far(reqs_.size());   // the jobs known so far, for link_to_members
  std::map<std::string, std::size_t, std::less<>> first_with_key;   // by IdempotencyKey::slot()
  std::map<std::string, std::size_t, std::less<>> fresh_by_id;
  std::map<std::string, std::size_t, std::less<>> known_by_id;   // so_far's jobs found by key, by id
  std::vector<std::optional<std::size_t>> same_as(reqs_.size());
  // A parent is a job the batch holds (locked up front, or new in it), a new job of this request,
  // or a member found by its idempotency key.
  auto const find = [&](std::string const& id) -> core::Result<std::optional<core::Job>> {
    if (auto it = fresh_by_id.find(id); it != fresh_by_id.end()) return fresh[it->second];
    if (auto const* j = batch.job(id)) return std::optional<core::Job>(*j);
    if (auto it = known_by_id.find(id); it != known_by_id.end()) return std::optional<core::Job>(so_far[it->second].job);
    return std::optional<core::Job>();
  };
  bool adds_members = false;
  for (std::size_t i = 0; i < reqs_.size(); ++i) {
    core::EnqueueRequest const* req = &reqs_[i];
    core::EnqueueRequest linked;
    if (req->batch_role != core::BatchRole::member) {
      linked = *req;
      queue::link_to_members(linked, reqs_, std::span(so_far).first(i));
      req = &linked;
    }
    if (auto key = core::idempotency_key_of(*req)) {
      auto const slot = key->slot();
      if (auto e = existing->find(slot); e != existing->end()) {
        sources_[i].existing = e->second;
        so_far[i].job = e->second;
        known_by_id.emplace(e->second.id, i);
        continue;
      }
      if (auto earlier = batch.inserted_with_key(*key)) {
        sources_[i].inserted = earlier;
        so_far[i].job = batch.new_job(*earlier).job;
        known_by_id.emplace(so_far[i].job.id, i);
        continue;
      }
      if (auto seen = first_with_key.find(slot); seen != first_with_key.end()) {
        same_as[i] = seen->second;
        continue;
      }
      first_with_key.emplace(slot, i);
    }
    auto type = batch.job_types().find(req->type);
    auto job = core::make_job(*req, type == batch.job_types().end() ? nullptr : &type->second, batch.new_id(), 0,
                              batch.now());
    if (job && !job->depends_on.empty()) {
      if (auto joined = queue::join_found_parents(*job, find, batch.now()); !joined) job = joined.error();
    }
    if (!job) {
      auto message = job.error().message;
      if (!single_) message = queue::field_of(reqs_, i) + ": " + message;
      out_ = core::make_error(job.error().code, std::move(message));
      return {};
    }
    if (job->trace_id.empty()) job->trace_id = batch.new_trace_id();
    if (req->batch_role == core::BatchRole::member) adds_members = true;
    if (batch_id) {
      so_far[i].job = *job;
      fresh_by_id.emplace(job->id, i);
    }
    fresh[i] = std::move(*job);
  }
  if (batch_known && adds_members) {
    out_ = queue::batch_exists(*batch_id);
    return {};
  }
  // Each parent not yet ended learns of its new children, with the batch's writes.
  for (auto const& job : fresh) {
    if (!job || job->status != core::JobState::waiting) continue;
    for (auto const& parent_id : job->depends_on) {
      auto parent = find(parent_id);
      if (!parent) return DbFailure{parent.error(), false, false};
      if (*parent && !core::is_terminal((*parent)->status)) batch.add_edge(parent_id, job->id);
    }
  }
  if (batch_id && !batch_known) batch.add_batch(queue::batch_made(*batch_id, reqs_, so_far, batch.now()));
  for (std::size_t i = 0; i < reqs_.size(); ++i) {
    if (fresh[i]) {
      sources_[i].inserted = batch.insert(std::move(*fresh[i]));
      sources_[i].created = true;
    }
  }
  for (std::size_t i = 0; i < reqs_.size(); ++i) {
    if (same_as[i]) sources_[i].inserted = sources_[*same_as[i]].inserted;
  }
  return {};
}

DbResult<void> EnqueueOp::result(Batch& batch) {
  if (out_) return {};   // refused in apply()
  // A new job whose key another node inserted first is that node's job, as a known key would be.
  std::vector<core::IdempotencyKey> raced;
  for (auto const& s : sources_) {
    if (s.inserted && batch.new_job(*s.inserted).lost_race) raced.push_back(*core::idempotency_key_of(batch.new_job(*s.inserted).job));
  }
  std::map<std::string, core::Job> winners;
  if (!raced.empty()) {
    auto found = batch.jobs_by_key(raced);
    if (!found) return found.error();
    winners = std::move(*found);
  }
  std::vector<queue::EnqueueResult> results;
  results.reserve(sources_.size());
  for (auto const& s : sources_) {
    if (s.existing) {
      results.push_back({*s.existing, false});
      continue;
    }
    auto const& change = batch.new_job(*s.inserted);
    if (change.lost_race) {
      auto w = winners.find(core::idempotency_key_of(change.job)->slot());
      if (w == winners.end()) {
        return DbFailure{core::make_error(core::Errc::storage_unavailable, "an idempotency key changed hands; try again"),
                         true, false};
      }
      results.push_back({w->second, false});
    } else {
      results.push_back({change.job, s.created});
    }
  }
  out_ = std::move(results);
  return {};
}

DbResult<void> EventOp::apply(Batch& batch) {
  out_ = apply_event_in(batch, id_, ev_);
  return {};
}

DbResult<void> EventsOp::apply(Batch& batch) {
  std::vector<core::Result<core::Job>> results;
  results.reserve(items_.size());
  for (auto const& [id, ev] : items_) results.push_back(apply_event_in(batch, id, ev));
  out_ = std::move(results);
  return {};
}

DbResult<void> ClaimOp::apply(Batch& batch) {
  auto jobs = batch.claim_for(req_);
  if (!jobs) return jobs.error();
  out_ = std::move(*jobs);
  return {};
}

DbResult<void> RemoveOp::apply(Batch& batch) {
  auto r = remove_in(batch, id_);
  if (r) out_ = std::monostate{};
  else out_ = r.error();
  return {};
}

DbResult<void> RemovesOp::apply(Batch& batch) {
  std::vector<core::Result<void>> results;
  results.reserve(ids_.size());
  for (auto const& id : ids_) results.push_back(remove_in(batch, id));
  out_ = std::move(results);
  return {};
}

DbResult<void> PauseOp::apply(Batch& batch) {
  batch.set_paused(queue_, paused_);
  auto info = batch.queue_info(queue_);
  if (!info) return info.error();
  out_ = std::move(*info);
  return {};
}

DbResult<void> UpdateQueueOp::apply(Batch& batch) {
  auto value = [](core::FieldUpdate<int> const& f) -> Param {
    if (!f || !*f) return std::nullopt;
    return std::to_string(**f);
  };
  auto r = batch.conn().query(
      "corral_update_queue",
      "INSERT INTO corral_queues (name, paused, max_running, max_running_per_key) VALUES ($1, false, $2::int, $3::int)"
      " ON CONFLICT (name) DO UPDATE SET"
      " max_running = CASE WHEN $4::boolean THEN excluded.max_running ELSE corral_queues.max_running END,"
      " max_running_per_key = CASE WHEN $5::boolean THEN excluded.max_running_per_key"
      " ELSE corral_queues.max_running_per_key END",
      {queue_, value(update_.max_running), value(update_.max_running_per_key),
       update_.max_running ? "true" : "false", update_.max_running_per_key ? "true" : "false"});
  if (!r) return r.error();
  if (auto pushed = queue_push_update(batch.conn(), queue_, update_); !pushed) return pushed.error();
  if (auto flowed = queue_flow_update(batch.conn(), queue_, update_); !flowed) return flowed.error();
  // A raised or lifted limit may let waiting fetches take jobs.
  batch.note_ready(queue_);
  auto info = batch.queue_info(queue_);
  if (!info) return info.error();
  out_ = std::move(*info);
  return {};
}

DbResult<void> SweepOp::apply(Batch& batch) {
  static std::string const due_sql =
      skip_locked_jobs_sql("status IN ('scheduled', 'retrying') AND run_at <= $1", "run_at");
  static std::string const expired_sql =
      skip_locked_jobs_sql("status = 'running' AND lease_expires_at <= $1", "lease_expires_at");
  // Served by corral_jobs_start_by, whose condition this repeats.
  static std::string const start_by_sql = skip_locked_jobs_sql(
      "start_by <= $1 AND start_by IS NOT NULL AND status IN ('queued', 'scheduled', 'waiting') AND started_at IS NULL", "start_by");
  auto const now = std::to_string(core::to_unix_micros(batch.now()));
  auto const limit = std::to_string(limit_);
  // Start-by deadlines first: a scheduled job past both its run_at and its start_by is cancelled,
  // not made ready.
  for (auto const* sql : {&start_by_sql, &due_sql, &expired_sql}) {
    auto const* name = sql == &due_sql ? "corral_sweep_due" : sql == &expired_sql ? "corral_sweep_expired" : "corral_sweep_start_by";
    auto jobs = select_jobs(batch, name, *sql, {now, limit});
    if (!jobs) return jobs.error();
    for (auto& job : *jobs) {
      if (batch.job(job.id)) continue;   // a report in this batch holds it; its deadline comes round again
      auto ev = core::deadline_event(job, batch.now(), batch.unit_random());
      auto applied = core::apply(job, ev, batch.now());
      if (!applied) continue;   // not due after all (the row moved on before we locked it)
      ready_if_due(batch, job, batch.update(job, std::move(applied->job), applied->kind));
    }
  }
  return {};
}

DbResult<void> PruneOp::apply(Batch& batch) {
  static std::string const any_queue_sql =
      skip_locked_jobs_sql("status = ANY($3::text[]) AND completed_at < $1", "completed_at");
  // Its own statement, so that its plan uses the index of ended jobs by queue rather than
  // scanning every queue's ended jobs by age.
  static std::string const one_queue_sql =
      skip_locked_jobs_sql("queue = $4 AND status = ANY($3::text[]) AND completed_at < $1", "completed_at");
  auto const& sql = req_.queue ? one_queue_sql : any_queue_sql;
  std::string states = "{";
  for (auto state : req_.statuses) states.append(states.size() > 1 ? "," : "").append(core::to_string(state));
  states += "}";
  auto const cutoff = std::to_string(core::to_unix_micros(batch.now() - req_.older_than));
  std::vector<Param> params{cutoff, std::to_string(limit_), states};
  if (req_.queue) params.push_back(req_.queue);
  auto jobs = select_jobs(batch, req_.queue ? "corral_prune_queue" : "corral_prune", sql, std::move(params));
  if (!jobs) return jobs.error();
  selected_ = static_cast<int>(jobs->size());
  for (auto const& job : *jobs) {
    if (batch.job(job.id)) continue;   // a report in this batch holds it
    batch.remove(job, core::JobEventKind::pruned);
    ++pruned_;
  }
  return {};
}

}  // namespace corral::postgres
