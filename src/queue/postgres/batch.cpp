#include "queue/postgres/batch.hpp"

#include "core/dependencies.hpp"
#include "core/ids.hpp"
#include "queue/dependencies.hpp"
#include "queue/postgres/job_rows.hpp"
#include "queue/postgres/queue_flow_rows.hpp"
#include "queue/postgres/queue_push_rows.hpp"
#include "queue/postgres/stats_queries.hpp"
#include "queue/rollup.hpp"
#include "queue/stored_event.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <random>

namespace corral::postgres {
namespace {

std::mt19937_64& rng() {
  thread_local std::mt19937_64 r{std::random_device{}()};
  return r;
}

template <class Range, class Fn>
std::string json_array_of(Range const& items, Fn fn) {
  boost::json::array a;
  for (auto const& item : items) a.push_back(boost::json::value_from(fn(item)));
  return boost::json::serialize(a);
}

std::string const& lock_sql() {
  static std::string const sql = "SELECT " + job_select_list() +
                                 " FROM corral_jobs j WHERE j.id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))"
                                 " ORDER BY j.seq FOR UPDATE";
  return sql;
}

// The claim of up to `limit` jobs of queue $1, skipping the seqs of the JSON array $2. The partial
// index corral_jobs_ready serves it, in order, for any queue.
std::string plain_claim_sql(std::string const& limit) {
  return skip_locked_jobs_sql(
      "queue = $1 AND status = 'queued'"
      " AND seq <> ALL(ARRAY(SELECT json_array_elements_text($2::json)::bigint))"
      // A queue with limits, a rate limit or aging is claimed only by claim_limited
      // (limited_claims.hpp).
      " AND NOT EXISTS (SELECT 1 FROM corral_queues q WHERE q.name = $1"
      " AND (q.paused OR q.max_running IS NOT NULL OR q.max_running_per_key IS NOT NULL"
      " OR q.rate_jobs IS NOT NULL OR q.priority_aging_per_s IS NOT NULL))",
      "priority DESC, seq", limit);
}

}  // namespace

std::string const& jobs_by_key_sql() {
  // IS NOT NULL, which the keys imply, said so that the planner matches the index's predicate
  // (migration 017) without having to prove it.
  static std::string const sql =
      "SELECT " + job_select_list() +
      " FROM corral_jobs j WHERE j.idempotency_key IS NOT NULL"
      " AND j.idempotency_key = ANY(ARRAY(SELECT json_array_elements_text($1::json)))";
  return sql;
}

CountedStatement const& plain_claim() {
  static CountedStatement const statement("corral_claim", 2, plain_claim_sql);
  return statement;
}

DbResult<void> Batch::run(std::vector<Op*> const& ops) {
  constexpr int kAttempts = 5;
  for (int i = 1;; ++i) {
    auto r = attempt(ops);
    if (r) return r;
    put_back_served();
    (void)conn_.exec("ROLLBACK");
    if (!r.error().retryable || i == kAttempts) return r;
    for (auto* op : ops) op->reset();
  }
}

void Batch::clear() {
  locked_.clear();
  changes_.clear();
  changed_.clear();
  touched_.clear();
  new_keys_.clear();
  paused_.clear();
  resumed_.clear();
  events_.clear();
  due_sightings_.clear();
  deliveries_.clear();
  pending_running_.clear();
  new_edges_.clear();
  new_batches_.clear();
  settled_.clear();
  token_waits_.clear();
  pending_.clear();
  inserted_ = false;
  served_.clear();
}

void Batch::defer(char const* name, std::string const& sql, std::vector<Param> params) {
  pending_.push_back({name, sql, std::move(params)});
}

DbResult<void> Batch::send_deferred() {
  if (pending_.empty()) return {};
  auto r = conn_.pipeline(pending_);
  pending_.clear();
  if (!r) return r.error();
  return {};
}

void Batch::record(std::size_t change, core::JobEventKind kind, core::Job const& job, bool webhook) {
  if (kind == core::JobEventKind::progress) changes_[change].progressed = true;
  events_.push_back(Recorded{change, core::event_of(kind, job, now_)});
  events_.back().event.webhook = webhook;
}

bool Batch::add_delivery(core::Job& job, core::JobEventKind kind) {
  if (!queue::ends_with_webhook(kind, job)) return false;
  static queue::DeliveryBody const kMinimal;
  deliveries_.push_back(queue::delivery_for(job, now_, new_token(), delivery_body_ ? *delivery_body_ : kMinimal));
  return true;
}

std::size_t Batch::event_count() const {
  return static_cast<std::size_t>(std::count_if(events_.begin(), events_.end(),
                                                [this](Recorded const& r) { return !changes_[r.change].lost_race; }));
}

DbResult<void> Batch::attempt(std::vector<Op*> const& ops) {
  clear();
  auto clock = conn_.exec("BEGIN; SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
  if (!clock) return clock.error();
  now_ = core::from_unix_micros(clock->int64(0, 0));
  if (auto r = lock_named(ops); !r) return r;
  for (auto* op : ops) {
    if (auto r = op->apply(*this); !r) return r;
  }
  if (auto r = settle_children(); !r) return r;
  if (auto r = insert_new(); !r) return r;
  // Before serve_waiting: an enqueue answers with its job as it enqueued it, as on the embedded
  // backend, even when a waiting fetch takes the job in the same commit.
  for (auto* op : ops) {
    if (auto r = op->result(*this); !r) return r;
  }
  if (auto r = serve_waiting(); !r) return r;
  if (auto r = write(); !r) return r;
  write_stats();
  write_events();
  defer("", "COMMIT", {});
  return send_deferred();
}

DbResult<void> Batch::lock_named(std::vector<Op*> const& ops) {
  std::vector<std::string> ids;
  for (auto* op : ops) op->ids(ids);
  return lock_more(ids);
}

core::Job const* Batch::job(std::string const& id) const {
  if (auto c = changed_.find(id); c != changed_.end()) {
    auto const& change = changes_[c->second];
    return change.deleted ? nullptr : &change.job;
  }
  if (auto l = locked_.find(id); l != locked_.end()) return &l->second;
  return nullptr;
}

core::Job const& Batch::update(core::Job const& before, core::Job after, core::JobEventKind kind) {
  touched_.insert(after.seq);
  bool const webhook = add_delivery(after, kind);
  if (auto c = changed_.find(after.id); c != changed_.end()) {
    auto& change = changes_[c->second];
    change.job = std::move(after);
    if (change.inserted && inserted_) change.rewritten = true;
    record(c->second, kind, change.job, webhook);
    return change.job;
  }
  changed_.emplace(after.id, changes_.size());
  changes_.push_back(Change{before.status, std::move(after)});
  record(changes_.size() - 1, kind, changes_.back().job, webhook);
  return changes_.back().job;
}

void Batch::remove(core::Job const& job, core::JobEventKind kind) {
  if (auto c = changed_.find(job.id); c != changed_.end()) {
    changes_[c->second].deleted = true;
    record(c->second, kind, changes_[c->second].job);
    return;
  }
  changed_.emplace(job.id, changes_.size());
  changes_.push_back(Change{job.status, job, false, true});
  record(changes_.size() - 1, kind, job);
}

std::size_t Batch::insert(core::Job job) {
  auto const index = changes_.size();
  if (auto key = core::idempotency_key_of(job)) new_keys_.emplace(key->slot(), index);
  // Found by later ops as a job of the batch (a report on it, a parent's end that counts it down).
  changed_.emplace(job.id, index);
  changes_.push_back(Change{std::nullopt, std::move(job), true});
  record(index, core::arrival_kind(changes_.back().job), changes_.back().job);
  return index;
}

std::optional<std::size_t> Batch::inserted_with_key(core::IdempotencyKey const& key) const {
  if (auto it = new_keys_.find(key.slot()); it != new_keys_.end()) return it->second;
  return std::nullopt;
}

DbResult<std::vector<core::Job>> Batch::claimable(std::string const& queue, int n) {
  auto rows = plain_claim().run(conn_, n, {queue, json_array_of(touched_, [](std::int64_t seq) { return seq; })});
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  for (auto const& j : *jobs) touched_.insert(j.seq);
  return std::move(*jobs);
}

DbResult<core::Result<std::vector<core::Job>>> Batch::claim_for(queue::FetchRequest const& req) {
  note_fetch(req.worker_id, req.queues);
  std::vector<core::Job> out;
  auto const want = static_cast<std::size_t>(req.count);
  for (auto const& q : req.queues) {
    if (out.size() >= want) break;
    // Paused earlier in this batch: the row that says so is written with the batch's other
    // writes, after its claims, so the claim statement cannot see it yet.
    if (auto p = paused_.find(q); p != paused_.end() && p->second) continue;
    auto const n = static_cast<int>(want - out.size());
    auto rows = limited(q) ? claimable_limited(q, n) : claimable(q, n);
    if (!rows) return rows.error();
    for (auto& row : *rows) {
      auto applied = core::apply(row, core::fetch_event(new_token(), req.worker_id, req.lease), now_);
      if (!applied) return core::Result<std::vector<core::Job>>(applied.error());
      auto const& job = update(row, std::move(applied->job), applied->kind);
      // Not started after all: its start_by had passed, and it was cancelled instead.
      if (job.status == core::JobState::running) out.push_back(job);
    }
  }
  return core::Result<std::vector<core::Job>>(std::move(out));
}

DbResult<std::vector<core::Job>> Batch::claimable_limited(std::string const& queue, int n) {
  auto& pending = pending_running_[queue];
  std::optional<core::Micros> token_wait;
  auto jobs = claim_limited(conn_, queue, n, json_array_of(touched_, [](std::int64_t seq) { return seq; }), pending,
                            token_wait);
  if (!jobs) return jobs;
  if (token_wait) token_waits_[queue] = *token_wait;
  for (auto const& j : *jobs) {
    touched_.insert(j.seq);
    ++pending.total;
    if (j.concurrency_key) ++pending.by_key[*j.concurrency_key];
  }
  return jobs;
}

DbResult<void> Batch::lock_more(std::vector<std::string> const& ids) {
  std::vector<std::string> missing;
  for (auto const& id : ids) {
    if (!locked_.contains(id) && !changed_.contains(id)) missing.push_back(id);
  }
  if (missing.empty()) return {};
  auto rows = conn_.query("corral_lock", lock_sql(), {json_array_of(missing, [](auto const& id) { return id; })});
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  for (auto& j : *jobs) {
    touched_.insert(j.seq);
    auto id = j.id;
    locked_.emplace(std::move(id), std::move(j));
  }
  return {};
}

DbResult<std::map<std::string, core::Job, std::less<>>> Batch::read_unlocked(std::vector<std::string> const& ids) {
  static std::string const sql = "SELECT " + job_select_list() +
                                 " FROM corral_jobs j WHERE j.id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))";
  std::map<std::string, core::Job, std::less<>> out;
  if (ids.empty()) return out;
  auto rows = conn_.query("corral_read_unlocked", sql, {json_array_of(ids, [](auto const& id) { return id; })});
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  for (auto& j : *jobs) {
    auto id = j.id;
    out.emplace(std::move(id), std::move(j));
  }
  return out;
}

DbResult<void> Batch::settle_children() {
  for (;;) {
    // The jobs this batch ended that have not been looked at yet.
    std::vector<std::string> ended;
    for (auto const& c : changes_) {
      if (c.deleted || c.lost_race || !core::ends_for_children(c.before, c.job.status)) continue;
      if (settled_.insert(c.job.id).second) ended.push_back(c.job.id);
    }
    if (ended.empty()) return {};
    auto edges = edges_take(conn_, ended);
    if (!edges) return edges.error();
    // Children enqueued earlier in this batch wait on it too: their edges are not written.
    std::set<std::string, std::less<>> const ended_set(ended.begin(), ended.end());
    std::erase_if(new_edges_, [&](Edge const& e) {
      if (!ended_set.contains(e.first)) return false;
      edges->push_back(e);
      return true;
    });
    if (edges->empty()) continue;
    std::vector<std::string> children;
    for (auto const& e : *edges) children.push_back(e.second);
    if (auto r = lock_more(children); !r) return r;
    for (auto const& [parent_id, child_id] : *edges) {
      auto const* child = job(child_id);
      auto const* parent = job(parent_id);
      // Gone, or no longer waiting (cancelled, or retried by hand): nothing to count down.
      if (!child || !parent || child->status != core::JobState::waiting) continue;
      // The last parent: how every parent ended, those outside the batch read in one statement.
      std::map<std::string, core::Job, std::less<>> others;
      if (child->parents_left <= 1) {
        std::vector<std::string> unseen;
        for (auto const& id : child->depends_on) {
          if (!job(id)) unseen.push_back(id);
        }
        auto read = read_unlocked(unseen);
        if (!read) return read.error();
        others = std::move(*read);
      }
      queue::FindJob const find = [this, &others](std::string const& id) -> core::Result<std::optional<core::Job>> {
        if (auto const* j = job(id)) return std::optional<core::Job>(*j);
        if (auto it = others.find(id); it != others.end()) return std::optional<core::Job>(it->second);
        return std::optional<core::Job>();
      };
      auto event = queue::parent_ended_for(*child, *parent, find);
      if (!event) return DbFailure{event.error(), false, false};
      auto applied = core::apply(*child, *event, now_);
      if (!applied) return DbFailure{applied.error(), false, false};
      update(*child, std::move(applied->job), applied->kind);
    }
  }
}

DbResult<std::map<std::string, core::Job>> Batch::jobs_by_key(std::vector<core::IdempotencyKey> const& keys) {
  std::map<std::string, core::Job> out;
  if (keys.empty()) return out;
  if (auto r = send_deferred(); !r) return r.error();
  // By key alone (the index's first column), then kept to the owners asked for: another owner's
  // job with the same key is not this one's.
  std::set<std::string, std::less<>> wanted;
  for (auto const& k : keys) wanted.insert(k.slot());
  auto rows = conn_.query("corral_by_key", jobs_by_key_sql(), {json_array_of(keys, [](auto const& k) { return k.key; })});
  if (!rows) return rows.error();
  auto jobs = read_jobs(*rows);
  if (!jobs) return DbFailure{jobs.error(), false, false};
  for (auto& j : *jobs) {
    auto slot = core::idempotency_key_of(j)->slot();
    if (wanted.contains(slot)) out.emplace(std::move(slot), std::move(j));
  }
  return out;
}

DbResult<queue::QueueInfo> Batch::queue_info(std::string const& queue) {
  auto read = read_queue_info(conn_, queue);
  if (!read) return read.error();
  auto info = read->value_or(queue::QueueInfo{queue, false, {}, {}});
  if (auto p = paused_.find(queue); p != paused_.end()) info.paused = p->second;
  return info;
}

void Batch::set_paused(std::string const& queue, bool paused) {
  paused_[queue] = paused;
  if (!paused) resumed_.push_back(queue);
}

DbResult<void> Batch::insert_new() {
  inserted_ = true;
  std::vector<core::Job const*> inserts;
  for (auto const& c : changes_) {
    if (c.inserted) inserts.push_back(&c.job);
  }
  if (inserts.empty()) return {};
  auto rows = conn_.query("corral_insert", insert_jobs_sql(), {insert_records(inserts)});
  if (!rows) return rows.error();
  std::map<std::string, std::int64_t, std::less<>> seqs;
  for (int i = 0; i < rows->size(); ++i) seqs.emplace(std::string(rows->text(i, 0)), rows->int64(i, 1));
  for (auto& c : changes_) {
    if (!c.inserted) continue;
    if (auto s = seqs.find(c.job.id); s != seqs.end()) c.job.seq = s->second;
    else c.lost_race = true;
  }
  return {};
}

DbResult<void> Batch::serve_waiting() {
  if (!waiting_ || waiting_->empty()) return {};
  // The queues where this batch inserted ready jobs, and how many.
  std::map<std::string, std::size_t, std::less<>> ready;
  for (auto const& c : changes_) {
    if (c.inserted && !c.lost_race && c.job.status == core::JobState::queued) ++ready[c.job.queue];
  }
  for (auto& [queue, left] : ready) {
    for (auto& fetch : waiting_->on(queue, left)) {
      if (left == 0) break;
      if (!fetch->take()) continue;   // answered, woken, or another batch is claiming for it
      auto const& req = fetch->request();
      if (req.abandoned && req.abandoned()) {
        // Its worker hung up: it would never run what it was handed.
        fetch->answer(std::vector<core::Job>{});
        continue;
      }
      auto jobs = claim_for(req);
      if (!jobs) {
        fetch->put_back();
        return jobs.error();
      }
      if (!*jobs) {
        fetch->answer(jobs->error());
        continue;
      }
      if ((*jobs)->empty()) {
        // Another fetch of this batch, or of another, took them first: the queue has nothing left.
        fetch->put_back();
        break;
      }
      left -= std::min(left, (*jobs)->size());
      served_.emplace_back(fetch, std::move(**jobs));
    }
  }
  return {};
}

void Batch::put_back_served() {
  for (auto& [fetch, jobs] : served_) fetch->put_back();
  served_.clear();
}

DbResult<void> Batch::write() {
  std::vector<core::Job const*> updates;
  std::vector<std::int64_t> deletes;
  for (auto const& c : changes_) {
    if (c.inserted && !c.rewritten) continue;
    if (c.deleted) deletes.push_back(c.job.seq);
    else updates.push_back(&c.job);
  }
  if (!updates.empty()) defer("corral_update", update_jobs_sql(), {update_records(updates)});
  if (!deletes.empty()) {
    defer("corral_delete",
          "DELETE FROM corral_jobs WHERE seq = ANY(ARRAY(SELECT json_array_elements_text($1::json)::bigint))",
          {json_array_of(deletes, [](std::int64_t s) { return s; })});
  }
  // Count deltas by (queue, type, priority, state), netted over the batch.
  std::map<std::pair<queue::CountKey, std::string_view>, std::int64_t> deltas;
  for (auto const& c : changes_) {
    if (c.lost_race) continue;
    queue::CountKey key{c.job.queue, c.job.type, c.job.priority};
    if (c.before) --deltas[{key, core::to_string(*c.before)}];
    if (!c.deleted) ++deltas[{std::move(key), core::to_string(c.job.status)}];
  }
  boost::json::array delta_rows;
  for (auto const& [key, d] : deltas) {
    if (d == 0) continue;
    delta_rows.push_back({{"queue", key.first.queue}, {"type", key.first.type}, {"priority", key.first.priority},
                          {"status", key.second}, {"delta", d}});
  }
  if (!delta_rows.empty()) {
    defer("corral_deltas",
          "INSERT INTO corral_count_deltas SELECT * FROM json_populate_recordset(NULL::corral_count_deltas, $1::json)",
          {boost::json::serialize(delta_rows)});
  }
  if (auto r = write_deliveries(); !r) return r;
  if (auto r = edges_insert(conn_, new_edges_); !r) return r;
  if (auto r = batches_insert(conn_, new_batches_); !r) return r;
  for (auto const& [queue, paused] : paused_) {
    auto r = conn_.query("corral_set_paused",
                         "INSERT INTO corral_queues (name, paused) VALUES ($1, $2)"
                         " ON CONFLICT (name) DO UPDATE SET paused = excluded.paused",
                         {queue, paused ? "true" : "false"});
    if (!r) return r.error();
  }
  return {};
}

DbResult<void> Batch::write_deliveries() {
  if (deliveries_.empty()) return {};
  boost::json::array rows;
  for (auto const& d : deliveries_) {
    auto const at = core::to_unix_micros(d.created_at);
    rows.push_back({{"id", d.id}, {"job_id", d.job_id}, {"url", d.url}, {"body", d.body},
                    {"attempts", d.attempts}, {"created_at", at}, {"next_attempt_at", at}});
  }
  auto r = conn_.query("corral_deliveries_insert",
                       "INSERT INTO corral_deliveries SELECT * FROM json_populate_recordset(NULL::corral_deliveries, $1::json)",
                       {boost::json::serialize(rows)});
  if (!r) return r.error();
  return {};
}

void Batch::note_fetch(std::string const& worker_id, std::vector<std::string> const& queues) {
  if (sightings_) sightings_->due(worker_id, queues, now_, due_sightings_);
}

void Batch::write_stats() {
  queue::Rollup rollup;
  for (auto const& r : events_) {
    if (!changes_[r.change].lost_race) rollup.add(r.event);
  }
  // Rows in key order (the maps'), so batches of two nodes lock the rows they share in one order.
  boost::json::array rollups, errors, sightings;
  for (auto const& [k, n] : rollup.counts()) {
    rollups.push_back({{"span_s", k.span_s}, {"start_s", k.start_s}, {"queue", k.queue}, {"type", k.type},
                       {"metric", k.metric}, {"n", n}});
  }
  for (auto const& [k, t] : rollup.errors()) {
    errors.push_back({{"start_s", k.start_s}, {"queue", k.queue}, {"type", k.type}, {"code", k.code},
                      {"n", t.count}, {"message", t.message}, {"last_seen", t.last_seen_us}});
  }
  for (auto const& [key, at] : due_sightings_) {
    sightings.push_back({{"node", node_}, {"worker_id", key.first}, {"queue", key.second},
                         {"last_seen", core::to_unix_micros(at)}});
  }
  // Each table's rows from JSON, added to the rows already there.
  auto upsert = [this](char const* name, std::string const& table, boost::json::array const& rows,
                       std::string const& on_conflict) {
    if (rows.empty()) return;
    defer(name, "INSERT INTO " + table + " SELECT * FROM json_populate_recordset(NULL::" + table +
                    ", $1::json) ON CONFLICT " + on_conflict,
          {boost::json::serialize(rows)});
  };
  upsert("corral_rollups", "corral_stats_rollups", rollups,
         "(span_s, start_s, queue, type, metric) DO UPDATE SET n = corral_stats_rollups.n + excluded.n");
  upsert("corral_error_rollups", "corral_stats_errors", errors,
         "(start_s, queue, type, code) DO UPDATE SET n = corral_stats_errors.n + excluded.n,"
         " message = excluded.message,"
         " last_seen = greatest(corral_stats_errors.last_seen, excluded.last_seen)");
  upsert("corral_sightings", "corral_workers_seen", sightings,
         "(node, worker_id, queue) DO UPDATE SET last_seen = greatest(corral_workers_seen.last_seen,"
         " excluded.last_seen)");
}

void Batch::write_events() {
  boost::json::array bodies;
  for (auto const& r : events_) {
    if (!changes_[r.change].lost_race) bodies.push_back(boost::json::string(queue::stored_event(r.event)));
  }
  if (bodies.empty()) return;
  // The counter's row lock is taken here, the batch's last statement, sent with the COMMIT: the
  // numbers follow the commit order, and no other work of the batch waits behind the lock.
  static std::string const sql =
      "WITH s AS (UPDATE corral_event_seq SET last = last + $1 WHERE id = 1 RETURNING last)"
      " INSERT INTO corral_events (seq, node, body)"
      " SELECT s.last - $1 + e.n, $2, e.body FROM s, json_array_elements_text($3::json) WITH ORDINALITY AS e(body, n)";
  defer("corral_events", sql, {std::to_string(bodies.size()), node_, boost::json::serialize(bodies)});
}

std::string Batch::new_id() {
  std::uint64_t const high = rng()();
  return core::make_job_id(now_, high, rng()());
}

std::string Batch::new_trace_id() {
  std::uint64_t const high = rng()();
  return core::make_trace_id(high, rng()());
}

std::string Batch::new_token() {
  std::uint64_t const high = rng()();
  return core::make_lease_token(high, rng()());
}

double Batch::unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng()); }

}  // namespace corral::postgres
