#include "queue/sqlite/engine.hpp"

#include "core/dependencies.hpp"
#include "core/ids.hpp"
#include "core/idempotency.hpp"
#include "queue/dependencies.hpp"
#include "queue/sqlite/queue_flow_store.hpp"
#include "queue/sqlite/queue_push_store.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <utility>

namespace corral::sqlite {
namespace {

ReadyIndex::Entry entry_of(core::Job const& job) {
  return ReadyIndex::Entry{job.queue, job.priority, job.status, core::deadline_of(job), job.run_at, job.concurrency_key};
}

core::Error not_found(std::string const& id) {
  return core::make_error(core::Errc::not_found, "job " + id + " not found");
}

}  // namespace

bool spoils_batch(core::Error const& e) {
  return e.code == core::Errc::storage_full || e.code == core::Errc::storage_unavailable ||
         e.code == core::Errc::internal;
}

Engine::Engine(Database& db, core::JobTypeTable job_types, queue::Waiters& waiters, queue::EventLog& events)
    : db_(db),
      store_(db),
      deps_(db),
      outbox_(db),
      job_types_(std::move(job_types)),
      waiters_(waiters),
      events_(events),
      rng_(std::random_device{}()),
      parked_([this](queue::FetchRequest const& req, core::TimePoint now) { return claim(req, now); }),
      stats_writer_(db) {}

core::Result<void> Engine::load() {
  index_ = ReadyIndex{};
  running_.clear();
  cache_.clear();
  // Before the jobs: an aging queue's jobs are ranked as they are put.
  auto flows = queue_flow_read(db_);
  if (!flows) return flows.error();
  // Buckets outlive a failed batch (their tokens stay taken); a rate limit that batch set goes.
  for (auto const& [name, flow] : flow_) {
    if (!flows->contains(name)) rates_.set(name, std::nullopt);
  }
  flow_.clear();
  for (auto const& [name, flow] : *flows) apply_flow(name, flow);
  auto detail = store_.job_count_terminal();
  if (!detail) return detail.error();
  auto r = store_.job_each_active([this, &detail](ActiveJob const& a) {
    core::Job probe;
    probe.status = a.status;
    probe.run_at = a.run_at;
    probe.lease_expires_at = a.lease_expires_at;
    probe.start_by = a.start_by;
    probe.started_at = a.started_at;
    ++(*detail)[queue::CountKey{a.queue, a.type, a.priority}][static_cast<std::size_t>(a.status)];
    index_.put(a.seq, ReadyIndex::Entry{a.queue, a.priority, a.status, core::deadline_of(probe), a.run_at,
                                        a.concurrency_key});
    if (a.status == core::JobState::running) running_.add(a.queue, a.concurrency_key, 1);
  });
  if (!r) return r.error();
  std::map<std::string, queue::StateCounts> counts;
  std::map<std::string, core::TimePoint> oldest;
  for (auto const& [key, c] : *detail) {
    auto& to = counts[key.queue];
    for (std::size_t i = 0; i < to.size(); ++i) to[i] += c[i];
    if (auto since = index_.oldest_ready(key.queue)) oldest[key.queue] = *since;
  }
  auto edges = deps_.edge_count();
  if (!edges) return edges.error();
  edges_ = *edges;
  auto paused = store_.queue_paused_names();
  if (!paused) return paused.error();
  paused_ = *paused;
  auto limits = store_.queue_limits();
  if (!limits) return limits.error();
  auto pushes = queue_push_read(db_);
  if (!pushes) return pushes.error();
  for (auto const& [name, l] : *limits) running_.set_limits(name, l);
  // Numbering goes on after every number this database may have given out.
  auto reserved = store_.event_seq_last();
  if (!reserved) return reserved.error();
  last_event_seq_ = reserved_event_seq_ = *reserved;
  events_.start_after(last_event_seq_);
  std::lock_guard lock(mutex_);
  counts_ = std::move(counts);
  detail_counts_ = std::move(*detail);
  oldest_ready_ = std::move(oldest);
  published_paused_ = paused_;
  published_limits_.clear();
  for (auto const& [name, l] : running_.all_limits()) published_limits_[name] = l;
  published_push_ = std::move(*pushes);
  published_flow_ = flow_;
  return {};
}

void Engine::apply_flow(std::string const& queue, core::QueueFlow const& flow) {
  if (flow.any()) flow_[queue] = flow;
  else flow_.erase(queue);
  rates_.set(queue, flow.rate_limit);
  index_.set_aging(queue, flow.priority_aging_per_s);
}

double Engine::unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

std::string Engine::new_id(core::TimePoint now) {
  std::uint64_t const high = rng_();
  return core::make_job_id(now, high, rng_());
}

std::string Engine::new_trace_id() {
  std::uint64_t const high = rng_();
  return core::make_trace_id(high, rng_());
}

std::string Engine::new_token() {
  std::uint64_t const high = rng_();
  return core::make_lease_token(high, rng_());
}

core::Result<queue::EnqueueResult> Engine::enqueue(core::EnqueueRequest const& req, core::TimePoint now) {
  auto results = enqueue_batch({req}, now);
  if (!results) {
    // A single enqueue reports its error without the batch's "jobs[0]." prefix.
    auto e = results.error();
    if (e.message.rfind("jobs[0]: ", 0) == 0) e.message.erase(0, 9);
    return e;
  }
  return std::move(results->front());
}

core::Result<std::vector<queue::EnqueueResult>> Engine::enqueue_batch(
    std::vector<core::EnqueueRequest> const& given, core::TimePoint now) {
  // A request that names a batch: its id settled (one the server names is drawn like a job's),
  // and each job told it.
  std::optional<std::string> batch_id = queue::batch_named(given);
  std::vector<core::EnqueueRequest> named;
  bool batch_known = false;
  if (batch_id) {
    if (batch_id->empty()) batch_id = new_id(now);
    named = given;
    queue::name_batch(named, *batch_id);
    auto known = deps_.batch_exists(*batch_id);
    if (!known) return known.error();
    batch_known = *known;
  }
  auto const& reqs = batch_id ? named : given;
  // Validate everything before writing anything: the batch is all or nothing.
  // out[i].created marks the jobs to insert; same_as[i] names the earlier position in this batch
  // whose new job a repeated idempotency key gets, as a key already known would.
  std::vector<queue::EnqueueResult> out(reqs.size());
  std::vector<std::optional<std::size_t>> same_as(reqs.size());
  std::map<std::string, std::size_t, std::less<>> first_with_key;   // by IdempotencyKey::slot()
  // The new jobs by id, kept for a named batch only: a job to run when the batch is done has them
  // as parents (no other job can name a job of its own request).
  std::map<std::string, std::size_t, std::less<>> new_by_id;
  auto const find_job = [this, &out, &new_by_id](std::string const& id) {
    if (auto it = new_by_id.find(id); it != new_by_id.end()) {
      return core::Result<std::optional<core::Job>>(out[it->second].job);
    }
    return find(id);
  };
  bool adds_members = false;
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    core::EnqueueRequest const* req = &reqs[i];
    core::EnqueueRequest linked;
    if (req->batch_role != core::BatchRole::member) {
      linked = *req;
      queue::link_to_members(linked, reqs, std::span(out).first(i));
      req = &linked;
    }
    auto const key = core::idempotency_key_of(*req);
    if (key) {
      if (auto seen = first_with_key.find(key->slot()); seen != first_with_key.end()) {
        same_as[i] = seen->second;
        continue;
      }
      auto existing = store_.job_get_by_key(*key);
      if (!existing) return existing.error();
      if (*existing) {
        out[i] = queue::EnqueueResult{std::move(**existing), false};
        continue;
      }
    }
    auto type = job_types_.find(req->type);
    auto job = core::make_job(*req, type == job_types_.end() ? nullptr : &type->second, new_id(now), 0, now);
    // Asked only of a job with parents: the lookup costs an enqueue without any nothing.
    if (job && !job->depends_on.empty()) {
      if (auto joined = queue::join_found_parents(*job, find_job, now); !joined) job = joined.error();
    }
    if (!job) {
      if (spoils_batch(job.error())) return job.error();
      return core::make_error(job.error().code, queue::field_of(reqs, i) + ": " + job.error().message);
    }
    if (job->trace_id.empty()) job->trace_id = new_trace_id();
    if (key) first_with_key.emplace(key->slot(), i);
    if (req->batch_role == core::BatchRole::member) adds_members = true;
    if (batch_id) new_by_id.emplace(job->id, i);
    out[i] = queue::EnqueueResult{std::move(*job), true};
  }
  if (batch_known && adds_members) return queue::batch_exists(*batch_id);
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    if (same_as[i] || !out[i].created) continue;
    auto const kind = core::arrival_kind(out[i].job);
    auto inserted = write(RowWrite::insert, std::nullopt, std::move(out[i].job), kind, now);
    if (!inserted) return inserted.error();
    out[i].job = std::move(*inserted);
  }
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    if (same_as[i]) out[i] = queue::EnqueueResult{out[*same_as[i]].job, false};
  }
  // Each parent not yet ended learns of its new children.
  for (auto const& result : out) {
    if (!result.created || result.job.status != core::JobState::waiting) continue;
    for (auto const& parent_id : result.job.depends_on) {
      auto parent = find_job(parent_id);
      if (!parent) return parent.error();
      if (!*parent || core::is_terminal((*parent)->status)) continue;
      if (auto r = deps_.edge_insert(parent_id, result.job.id); !r) return r.error();
      ++edges_;
    }
  }
  if (batch_id && !batch_known) {
    if (auto r = deps_.batch_insert(queue::batch_made(*batch_id, reqs, out, now)); !r) return r.error();
  }
  return out;
}

core::Result<void> Engine::end_for_children(core::Job const& parent, core::TimePoint now) {
  auto children = deps_.edges_take(parent.id);
  if (!children) return children.error();
  edges_ -= static_cast<std::int64_t>(children->size());
  queue::FindJob const find_job = [this](std::string const& id) { return find(id); };
  for (auto const& child_id : *children) {
    auto child = find(child_id);
    if (!child) return child.error();
    // Gone, or no longer waiting (cancelled, or retried by hand): nothing to count down.
    if (!*child || (*child)->status != core::JobState::waiting) continue;
    auto event = queue::parent_ended_for(**child, parent, find_job);
    if (!event) return event.error();
    auto applied = core::apply(std::move(**child), *event, now);
    if (!applied) return applied.error();
    // A child cancelled here ends in turn, and its own children hear of it in this write.
    if (auto r = write(RowWrite::update, core::JobState::waiting, std::move(applied->job), applied->kind, now); !r) {
      return r.error();
    }
  }
  return {};
}

core::Result<core::Job> Engine::write(RowWrite how, std::optional<core::JobState> before, core::Job job,
                                      core::JobEventKind kind, core::TimePoint now) {
  // Before the row is written: the delivery sets the job's webhook, which the row keeps.
  std::optional<queue::Delivery> delivery;
  if (how == RowWrite::update && queue::ends_with_webhook(kind, job)) {
    delivery = queue::delivery_for(job, now, new_token(), delivery_body_);
  }
  switch (how) {
    case RowWrite::insert: {
      auto seq = store_.job_insert(job);
      if (!seq) return seq.error();
      job.seq = *seq;
      break;
    }
    case RowWrite::update:
      if (auto r = store_.job_update(job); !r) return r.error();
      break;
    case RowWrite::erase:
      if (auto r = store_.job_delete(job.seq); !r) return r.error();
      break;
  }
  bool const deleted = how == RowWrite::erase;
  bool const was_running = before == core::JobState::running;
  if (was_running != (!deleted && job.status == core::JobState::running)) {
    running_.add(job.queue, job.concurrency_key, was_running ? -1 : 1);
    // A job of a limited queue that stops running may let a waiting one start.
    if (was_running && running_.limits(job.queue)) parked_.note_ready(job.queue);
  }
  if (deleted) {
    cache_.forget(job);
    index_.erase(job.seq);
  } else {
    cache_.remember(job);
    index_.put(job.seq, entry_of(job));
    if (job.status == core::JobState::queued) parked_.note_ready(job.queue);
  }
  if (delivery) {
    if (auto r = outbox_.delivery_insert(*delivery); !r) return r.error();
  }
  pending_.push_back(Pending{before, deleted, core::event_of(kind, job, now)});
  pending_.back().event.webhook = delivery.has_value();
  // Checked first by count: a server whose jobs name no parents looks up no children.
  if (edges_ > 0 && !deleted && core::ends_for_children(before, job.status)) {
    if (auto r = end_for_children(job, now); !r) return r.error();
  }
  return job;
}

core::Result<queue::ClaimedDeliveries> Engine::claim_deliveries(queue::DeliveryClaim const& claim, core::TimePoint now) {
  return outbox_.delivery_claim(now, claim.limit, now + claim.lease);
}

core::Result<void> Engine::report_delivery(queue::DeliveryReport const& report) {
  if (auto r = outbox_.delivery_report(report); !r) return r;
  auto row = find(report.job_id);
  if (!row) return row.error();
  if (!*row) return {};   // deleted since it ended: the delivery went on without it
  auto webhook = queue::webhook_after(**row, report);
  if (!webhook) return {};
  (*row)->webhook = std::move(webhook);
  if (auto r = store_.job_update(**row); !r) return r;
  // A retried job may be cached (running or queued): its copy must show the webhook too, or the
  // next write of the copy would undo this one.
  cache_.remember(**row);
  return {};
}

core::Result<std::optional<core::Job>> Engine::find(std::string const& id) {
  if (auto const* job = cache_.running(id)) return std::optional<core::Job>(*job);
  return store_.job_get(id);
}

core::Result<std::optional<core::Job>> Engine::find_queued(std::int64_t seq) {
  if (auto job = cache_.take_queued(seq)) return job;
  return store_.job_get_by_seq(seq);
}

core::Result<std::vector<core::Job>> Engine::claim(queue::FetchRequest const& req, core::TimePoint now) {
  sightings_.due(req.worker_id, req.queues, now, due_sightings_);
  std::vector<core::Job> out;
  for (auto const& q : req.queues) {
    if (paused_.contains(q)) continue;
    auto const* limits = running_.limits(q);
    bool const rate_limited = rates_.limited(q);
    while (out.size() < static_cast<std::size_t>(req.count)) {
      // An empty bucket hands out nothing more of this queue; the next token wakes who waits.
      if (rate_limited && !rates_.has_token(q, now)) {
        if (index_.has_ready(q)) rates_.ran_dry(q, now);
        break;
      }
      auto seq = limits ? pop_startable(q, *limits) : index_.pop_ready(q);
      if (!seq) break;
      auto row = find_queued(*seq);
      if (!row) return row.error();
      if (!*row) continue;  // deleted meanwhile
      auto const before = entry_of(**row);
      auto applied = core::apply(std::move(**row), core::fetch_event(new_token(), req.worker_id, req.lease), now);
      if (!applied) {
        // Put the job back where its row says it belongs. A job that is not queued after all
        // (a stale index entry) is skipped; any other refusal is about the request, so stop.
        index_.put(*seq, before);
        if (applied.error().code == core::Errc::wrong_state) continue;
        return applied.error();
      }
      auto job = write(RowWrite::update, before.status, std::move(applied->job), applied->kind, now);
      if (!job) return job.error();
      // Not started after all: its start_by had passed, and it was cancelled instead.
      if (job->status != core::JobState::running) continue;
      if (rate_limited) rates_.take(q, now);
      out.push_back(std::move(*job));
    }
  }
  return out;
}

std::optional<std::int64_t> Engine::pop_startable(std::string const& queue, core::ConcurrencyLimits const& limits) {
  if (auto room = core::room_in_queue(limits, running_.in_queue(queue)); room && *room == 0) return std::nullopt;
  return index_.pop_ready_if(queue, [&](std::string const& key) {
    return core::key_has_room(limits, true, running_.of_key(queue, key));
  });
}

core::Result<queue::QueueInfo> Engine::update_queue(std::string const& queue, queue::QueueUpdate const& update) {
  core::ConcurrencyLimits current;
  if (auto const* l = running_.limits(queue)) current = *l;
  auto const limits = api::updated(current, update);
  if (auto r = store_.queue_set_limits(queue, limits); !r) return r.error();
  running_.set_limits(queue, limits);
  // A raised or lifted limit may let waiting fetches take jobs.
  parked_.note_ready(queue);
  if (touches_flow(update)) {
    core::QueueFlow current_flow;
    if (auto it = flow_.find(queue); it != flow_.end()) current_flow = it->second;
    auto const flow = api::updated(current_flow, update);
    if (auto r = queue_flow_write(db_, queue, flow); !r) return r.error();
    apply_flow(queue, flow);
    std::lock_guard lock(mutex_);
    if (flow.any()) published_flow_[queue] = flow;
    else published_flow_.erase(queue);
  }
  if (touches_push(update)) {
    api::QueuePush current_push;
    {
      std::lock_guard lock(mutex_);
      if (auto it = published_push_.find(queue); it != published_push_.end()) current_push = it->second;
    }
    auto const push = api::updated(current_push, update);
    if (auto r = queue_push_write(db_, queue, push); !r) return r.error();
    std::lock_guard lock(mutex_);
    published_push_[queue] = push;
  }
  std::lock_guard lock(mutex_);
  published_limits_[queue] = limits;
  auto info = queue_info_locked(queue);
  info.limits = limits;
  return info;
}

core::Result<core::Job> Engine::apply_event(std::string const& id, core::Event const& event, core::TimePoint now) {
  auto row = find(id);
  if (!row) return row.error();
  if (!*row) return not_found(id);
  core::Event ev = event;
  ev.unit_random = unit_random();
  auto const before = (*row)->status;
  auto applied = core::apply(std::move(**row), ev, now);
  if (!applied) return applied.error();
  if (!applied->changed) return std::move(applied->job);  // a resent report: nothing to write
  auto reply_error = applied->reply_error;
  auto job = write(RowWrite::update, before, std::move(applied->job), applied->kind, now);
  if (!job) return job.error();
  if (reply_error) {
    // Written, but the caller must hear why (run_time_exceeded): the report came after its lease
    // ran out, and the job underwent the expiry instead, as the sweep would have done it.
    if (auto r = ready_if_due(*job, now); !r) return r.error();
    return *reply_error;
  }
  return job;
}

core::Result<void> Engine::ready_if_due(core::Job const& job, core::TimePoint now) {
  if (!core::due_at_once(job, now)) return {};
  auto ready = core::apply(job, core::due_event(), now);
  if (!ready) return ready.error();
  if (auto r = write(RowWrite::update, job.status, std::move(ready->job), ready->kind, now); !r) return r.error();
  return {};
}

core::Result<void> Engine::remove(std::string const& id, core::TimePoint now) {
  auto row = find(id);
  if (!row) return row.error();
  if (!*row) return not_found(id);
  auto const status = (*row)->status;
  if (!core::can_delete(status)) {
    return core::make_error(core::Errc::wrong_state, "job is " + std::string(core::to_string(status)) +
                                                         "; only completed, failed or cancelled jobs can be deleted");
  }
  if (auto r = write(RowWrite::erase, status, std::move(**row), core::JobEventKind::deleted, now); !r) return r.error();
  return {};
}

core::Result<queue::QueueInfo> Engine::set_paused(std::string const& queue, bool paused) {
  if (auto r = store_.queue_set_paused(queue, paused); !r) return r.error();
  if (paused) {
    paused_.insert(queue);
  } else {
    paused_.erase(queue);
    parked_.note_ready(queue);
  }
  std::lock_guard lock(mutex_);
  auto info = queue_info_locked(queue);
  info.paused = paused;
  return info;
}

std::optional<core::TimePoint> Engine::next_deadline() const {
  auto next = index_.next_deadline();
  if (retention_.any() && (!next || next_prune_ < *next)) next = next_prune_;
  // Rollups summed in memory are written within a second even when no request comes.
  if (!unflushed_.empty() && (!next || next_stats_flush_ < *next)) next = next_stats_flush_;
  // A fetch found a rate-limited queue's bucket empty: the writer wakes when its token arrives.
  if (auto token = rates_.next_token(); token && (!next || *token < *next)) next = token;
  return next;
}

core::Result<void> Engine::set_retention(queue::Retention keep) {
  retention_ = std::move(keep);
  return store_.job_index_ended_by_queue(!retention_.queues.empty());
}

core::Result<void> Engine::prune(core::TimePoint now, std::size_t limit) {
  return retention_.queues.empty() ? prune_all_queues(now, limit) : prune_queue_by_queue(now, limit);
}

core::Result<void> Engine::prune_all_queues(core::TimePoint now, std::size_t limit) {
  // Oldest first by enqueue order, which follows the order jobs end closely: the scan stops at
  // the first job of each state that ended too recently, so each pass reads at most `limit` rows.
  // A job that ended long ago behind one that ended lately waits for that one to age out.
  for (auto state : {core::JobState::completed, core::JobState::failed, core::JobState::cancelled}) {
    auto const kept = retention_.all.of(state);
    if (kept.count() == 0) continue;
    auto candidates = store_.job_oldest_in(state, 0, static_cast<int>(limit), core::to_unix_micros(now - kept));
    if (!candidates) return candidates.error();
    for (auto const& candidate : *candidates) {
      if (auto r = erase_ended(candidate.seq, now); !r) return r;
    }
  }
  return {};
}

core::Result<void> Engine::prune_queue_by_queue(core::TimePoint now, std::size_t limit) {
  // Queue by queue, each under its own retention ([queues.NAME]), earliest ended first, through
  // jobs_ended_by_queue: a pass reads only the jobs it deletes, and a queue that keeps its jobs
  // for ever holds up no other. At most `limit` jobs of each state per pass.
  for (auto state : {core::JobState::completed, core::JobState::failed, core::JobState::cancelled}) {
    std::size_t left = limit;
    for (auto const& queue : queues_holding(state)) {
      auto const kept = retention_.of(state, queue);
      if (kept.count() == 0 || left == 0) continue;
      auto seqs = store_.job_ended_before(queue, state, core::to_unix_micros(now - kept), static_cast<int>(left));
      if (!seqs) return seqs.error();
      left -= seqs->size();
      for (auto seq : *seqs) {
        if (auto r = erase_ended(seq, now); !r) return r;
      }
    }
  }
  return {};
}

std::vector<std::string> Engine::queues_holding(core::JobState state) const {
  std::vector<std::string> names;
  std::lock_guard lock(mutex_);
  for (auto const& [name, counts] : counts_) {
    if (counts[static_cast<std::size_t>(state)] > 0) names.push_back(name);
  }
  return names;
}

core::Result<Engine::PruneStep> Engine::prune_step(core::JobState state, std::int64_t after_seq, std::int64_t cutoff,
                                                   std::optional<std::string> const& queue, std::size_t limit,
                                                   core::TimePoint now) {
  // Unlike retention, the scan goes past a job that ended too recently (or is of another queue),
  // resuming after the last job it looked at, so every batch reads at most `limit` rows.
  auto candidates = store_.job_oldest_in(state, after_seq, static_cast<int>(limit));
  if (!candidates) return candidates.error();
  PruneStep step;
  for (auto const& candidate : *candidates) {
    if (candidate.ended && *candidate.ended < cutoff && (!queue || candidate.queue == *queue)) {
      if (auto r = erase_ended(candidate.seq, now); !r) return r.error();
      ++step.pruned;
    }
  }
  if (candidates->size() == limit) step.resume_after = candidates->back().seq;
  return step;
}

core::Result<void> Engine::erase_ended(std::int64_t seq, core::TimePoint now) {
  auto row = store_.job_get_by_seq(seq);
  if (!row) return row.error();
  if (!*row) return {};
  auto const status = (*row)->status;
  if (auto r = write(RowWrite::erase, status, std::move(**row), core::JobEventKind::pruned, now); !r) return r.error();
  return {};
}

core::Result<void> Engine::act_on_deadlines(core::TimePoint now, std::size_t limit) {
  // Tokens arrived: the fetches parked on those queues look again at the end of this batch.
  rates_.take_refilled(now, [this](std::string const& queue) { parked_.note_ready(queue); });
  if (now >= next_trim_) {
    // Rollups age by the hour: trimming them hourly keeps at most an hour more than kRollupKeepS.
    next_trim_ = now + std::chrono::hours(1);
    if (auto r = stats_writer_.trim(now); !r) return r;
  }
  if (retention_.any() && now >= next_prune_) {
    next_prune_ = now + std::chrono::seconds(1);
    if (auto r = prune(now, limit); !r) return r;
  }
  for (auto seq : index_.due(now, limit)) {
    auto row = store_.job_get_by_seq(seq);
    if (!row) return row.error();
    if (!*row) {
      index_.erase(seq);
      continue;
    }
    auto const& job = **row;
    auto applied = core::apply(job, core::deadline_event(job, now, unit_random()), now);
    if (!applied) {
      // The index had an old deadline (a heartbeat moved it): re-place the job at its real one.
      // A job whose real deadline has passed yet cannot move would spin here; drop it and say so.
      auto entry = entry_of(job);
      if (entry.deadline && *entry.deadline > now) {
        index_.put(seq, entry);
      } else {
        spdlog::error("job {} is {} with a past deadline but {}: left alone", job.id,
                      core::to_string(job.status), applied.error().message);
        index_.erase(seq);
      }
      continue;
    }
    auto written = write(RowWrite::update, job.status, std::move(applied->job), applied->kind, now);
    if (!written) return written.error();
    if (auto r = ready_if_due(*written, now); !r) return r;
  }
  return {};
}

core::Result<void> Engine::before_commit(core::TimePoint now) {
  if (auto r = write_stats(now); !r) return r;
  auto const last = last_event_seq_ + static_cast<std::int64_t>(pending_.size());
  if (last_batch_) {
    if (auto r = store_.event_seq_set(last); !r) return r;
    reserved_event_seq_ = last;
    return {};
  }
  if (last <= reserved_event_seq_) return {};
  if (auto r = store_.event_seq_set(last + kEventSeqBlock); !r) return r;
  reserved_event_seq_ = last + kEventSeqBlock;
  return {};
}

core::Result<void> Engine::write_stats(core::TimePoint now) {
  if (now >= next_stats_flush_) {
    queue::Rollup batch;
    for (auto const& c : pending_) batch.add(c.event);
    if (!unflushed_.empty() || !batch.empty()) {
      if (auto r = stats_writer_.add(unflushed_); !r) return r;
      if (auto r = stats_writer_.add(batch); !r) return r;
      flushing_ = true;
    }
    next_stats_flush_ = now + std::chrono::seconds(1);
  }
  return stats_writer_.add(due_sightings_);
}

void Engine::publish_stats_locked() {
  // A batch's changes are mostly of one queue, type and priority: the previous change's entry is
  // reused without a lookup (nor the copies of its key's strings).
  std::string const* last_queue = nullptr;
  auto entry = detail_counts_.end();
  for (auto const& c : pending_) {
    auto const& e = c.event;
    if (entry == detail_counts_.end() || entry->first.queue != e.queue || entry->first.type != e.type ||
        entry->first.priority != e.priority) {
      entry = detail_counts_.try_emplace(queue::CountKey{e.queue, e.type, e.priority}).first;
    }
    auto& counts = entry->second;
    if (c.before) --counts[static_cast<std::size_t>(*c.before)];
    if (!c.deleted) ++counts[static_cast<std::size_t>(e.status)];
    if (last_queue && *last_queue == e.queue) continue;
    last_queue = &e.queue;
    if (auto since = index_.oldest_ready(e.queue)) oldest_ready_[e.queue] = *since;
    else oldest_ready_.erase(e.queue);
  }
}

void Engine::after_commit() {
  {
    std::lock_guard lock(mutex_);
    for (auto const& c : pending_) {
      auto& counts = counts_[c.event.queue];
      if (c.before) --counts[static_cast<std::size_t>(*c.before)];
      if (!c.deleted) ++counts[static_cast<std::size_t>(c.event.status)];
    }
    publish_stats_locked();
    if (flushing_) {
      unflushed_.clear();
      flushing_ = false;
    } else {
      for (auto const& c : pending_) unflushed_.add(c.event);
    }
    published_paused_ = paused_;
    published_cache_bytes_ = cache_.queued_bytes();
  }
  sightings_.written(due_sightings_);
  due_sightings_.clear();
  for (auto const& c : pending_) {
    if (c.deleted || core::is_terminal(c.event.status)) waiters_.notify("j:" + c.event.job_id);
    else if (c.event.kind == core::JobEventKind::progress) waiters_.notify(queue::progress_key(c.event.job_id));
  }
  parked_.after_commit();
  std::vector<core::JobEvent> events;
  events.reserve(pending_.size());
  for (auto& c : pending_) {
    events.push_back(std::move(c.event));
    events.back().seq = ++last_event_seq_;
  }
  pending_.clear();
  events_.append(std::move(events));
}

core::Result<void> Engine::after_rollback(core::Error const& why) {
  pending_.clear();
  flushing_ = false;   // what it was to write stays in unflushed_
  next_stats_flush_ = core::TimePoint{};
  due_sightings_.clear();
  // The rollback may have put claimed jobs back in the ready sets: every parked fetch looks again.
  parked_.after_rollback(why);
  // load() also clears the job cache: its copies may hold writes the rollback undid.
  return load();
}

queue::QueueInfo Engine::queue_info_locked(std::string const& name) const {
  queue::QueueInfo info{name, published_paused_.contains(name), {}, {}};
  if (auto it = counts_.find(name); it != counts_.end()) info.counts = it->second;
  if (auto it = published_limits_.find(name); it != published_limits_.end()) info.limits = it->second;
  if (auto it = published_push_.find(name); it != published_push_.end()) info.push = it->second;
  if (auto it = published_flow_.find(name); it != published_flow_.end()) info.flow = it->second;
  return info;
}

std::vector<queue::RollupRow> Engine::unwritten_rollups(std::int64_t span_s, std::optional<std::string> const& queue,
                                                        std::optional<std::string> const& type) const {
  std::lock_guard lock(mutex_);
  std::vector<queue::RollupRow> out;
  for (auto const& [key, n] : unflushed_.counts()) {
    if (key.span_s != span_s || (queue && key.queue != *queue) || (type && key.type != *type)) continue;
    out.push_back(queue::RollupRow{key.start_s, key.queue, key.type, key.metric, n});
  }
  return out;
}

std::vector<queue::ErrorRow> Engine::unwritten_errors(std::int64_t first_s, std::optional<std::string> const& queue,
                                                      std::optional<std::string> const& type) const {
  std::lock_guard lock(mutex_);
  std::vector<queue::ErrorRow> out;
  for (auto const& [key, tally] : unflushed_.errors()) {
    if (key.start_s < first_s || (queue && key.queue != *queue) || (type && key.type != *type)) continue;
    out.push_back(queue::ErrorRow{key.type, key.code, tally.count, tally.message, tally.last_seen_us});
  }
  return out;
}

std::size_t Engine::job_cache_bytes() const {
  std::lock_guard lock(mutex_);
  return published_cache_bytes_;
}

std::map<queue::CountKey, queue::StateCounts> Engine::detail_counts() const {
  std::lock_guard lock(mutex_);
  return detail_counts_;
}

std::map<std::string, core::TimePoint> Engine::oldest_ready() const {
  std::lock_guard lock(mutex_);
  return oldest_ready_;
}

std::vector<queue::QueueInfo> Engine::stats() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> names(published_paused_);
  for (auto const& [name, counts] : counts_) names.insert(name);
  for (auto const& [name, limits] : published_limits_) {
    if (limits.any()) names.insert(name);
  }
  for (auto const& [name, push] : published_push_) {
    if (push.url) names.insert(name);
  }
  for (auto const& [name, flow] : published_flow_) names.insert(name);
  std::vector<queue::QueueInfo> out;
  for (auto const& name : names) out.push_back(queue_info_locked(name));
  return out;
}

}  // namespace corral::sqlite
