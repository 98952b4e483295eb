// One write transaction of the PostgreSQL backend: the group commit of this node.
//
// Requests that arrive while earlier batches run are gathered into one Batch and applied in one
// transaction, with few statements whatever their number:
//   1. BEGIN and read the database's clock (every node uses the database's time, never its own);
//   2. lock every job the batch's reports name, in one SELECT ... ORDER BY seq FOR UPDATE (a fixed
//      lock order, so batches on different nodes do not deadlock on each other);
//   3. apply each op in arrival order through core::apply against the batch's view of the jobs
//      (claims take queued rows with FOR UPDATE SKIP LOCKED in a CTE with its own LIMIT, so workers
//      on every node never wait on each other's rows);
//   4. insert the new jobs, then claim for this node's fetches waiting on the queues they are
//      ready in (waiting_fetches.hpp), so such a job's lease commits with its enqueue;
//   5. write: one UPDATE of changed jobs, one DELETE, one INSERT of count deltas, one INSERT of
//      the webhook deliveries of the jobs the batch ended (the outbox); the stats rollups (an
//      upsert or two, and the due worker sightings); last, one statement that numbers the batch's
//      events from the cluster's counter and inserts them (corral_events; the counter's row lock
//      is held only from there to COMMIT); COMMIT. Only then are the ops and the served fetches
//      answered.
// A deadlock or serialization failure rolls back and the batch runs again from step 1; any other
// failure answers every op with the error and changes nothing.
//
// Not thread-safe: a Batch runs on one thread with one connection.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/idempotency.hpp"
#include "core/transition.hpp"
#include "queue/outbox.hpp"
#include "queue/postgres/connection.hpp"
#include "queue/postgres/counted_statement.hpp"
#include "queue/postgres/dependency_rows.hpp"
#include "queue/postgres/limited_claims.hpp"
#include "queue/postgres/waiting_fetches.hpp"
#include "queue/queue_service.hpp"
#include "queue/worker_sightings.hpp"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace corral::postgres {

class Batch;

// The claim of jobs from a queue without limits, rate or aging (parameters: the queue, the seqs
// to skip as a JSON array). Its count goes in its text up to a few jobs (counted_statement.hpp).
CountedStatement const& plain_claim();

// The jobs whose idempotency keys are in the JSON array $1 (any owner's; the caller picks).
std::string const& jobs_by_key_sql();

// One request's part of a batch. apply() records its outcome in the op itself; result() may read
// what the writes assigned (a new job's seq); settle() answers the caller once the batch's fate is
// known. Ops must be re-runnable: a retried batch calls reset() and then apply() again.
class Op {
 public:
  virtual ~Op() = default;
  // Jobs (by id) this op reads and changes; the batch locks them all up front.
  virtual void ids(std::vector<std::string>&) const {}
  virtual DbResult<void> apply(Batch& batch) = 0;
  virtual DbResult<void> result(Batch&) { return {}; }
  virtual void reset() = 0;
  // Called once: nullopt when the batch committed, else why not.
  virtual void settle(std::optional<core::Error> const& batch_error) = 0;
};

// A change this batch made to one job.
struct Change {
  std::optional<core::JobState> before;   // absent for a new job
  core::Job job;                          // the job as it is after the batch
  bool inserted = false;
  bool deleted = false;
  bool lost_race = false;                 // a new job whose idempotency key another node took first
  bool progressed = false;                // a progress report changed it (wakes gets with ?progress=1)
  bool rewritten = false;                 // a new job changed after its INSERT (a waiting fetch took it)
};

class Batch {
 public:
  // `node` names this node in the events it commits.
  Batch(Connection& conn, core::JobTypeTable const& job_types, std::string node)
      : conn_(conn), job_types_(job_types), node_(std::move(node)) {}

  // Runs `ops` in one transaction (steps 1-5 above). On failure nothing was committed.
  DbResult<void> run(std::vector<Op*> const& ops);

  // --- for ops, inside apply() -------------------------------------------------------------
  core::TimePoint now() const { return now_; }
  Connection& conn() { return conn_; }
  core::JobTypeTable const& job_types() const { return job_types_; }
  // The batch's view of a job locked up front (after earlier ops' changes); nullptr if it is
  // not known (no such job, or deleted earlier in the batch).
  core::Job const* job(std::string const& id) const;
  // Records `applied` as the new state of a known job, a change of `kind`; returns the job as changed.
  core::Job const& update(core::Job const& before, core::Job after, core::JobEventKind kind);
  // Records the deletion of a job: `kind` is deleted or pruned.
  void remove(core::Job const& job, core::JobEventKind kind);
  // Records a new job; its seq is assigned by the INSERT. Returns its index for new_job().
  std::size_t insert(core::Job job);
  Change const& new_job(std::size_t index) const { return changes_[index]; }
  // A new job waiting on `parent_id`, which has not ended: written with the batch's jobs.
  void add_edge(std::string parent_id, std::string child_id) { new_edges_.emplace_back(std::move(parent_id), std::move(child_id)); }
  // A new batch, written with its jobs.
  void add_batch(api::BatchInfo batch) { new_batches_.push_back(std::move(batch)); }
  // The jobs of `ids` as committed, read without a lock (how parents ended, for their child).
  DbResult<std::map<std::string, core::Job, std::less<>>> read_unlocked(std::vector<std::string> const& ids);
  // The index of a job inserted earlier in this batch with idempotency key `key`.
  std::optional<std::size_t> inserted_with_key(core::IdempotencyKey const& key) const;
  // Claims up to `n` queued jobs of `queue` not touched by this batch, in ready order.
  DbResult<std::vector<core::Job>> claimable(std::string const& queue, int n);
  // The same for a queue with concurrency limits (limited_claims.hpp): only what they let start.
  DbResult<std::vector<core::Job>> claimable_limited(std::string const& queue, int n);
  // A fetch's claim: up to req.count jobs from its queues, in order, leased to it. The inner error
  // is about the request (a bad lease length) and changes nothing.
  DbResult<core::Result<std::vector<core::Job>>> claim_for(queue::FetchRequest const& req);
  // Whether this node knows `queue` to have concurrency limits, a rate limit or aging.
  bool limited(std::string const& queue) const { return limited_ && limited_->contains(queue); }
  // Existing jobs by idempotency key, each in its owner's scope (one statement for all keys),
  // mapped by IdempotencyKey::slot().
  DbResult<std::map<std::string, core::Job>> jobs_by_key(std::vector<core::IdempotencyKey> const& keys);
  // Counts of `queue` as of this transaction (folded counts plus pending deltas).
  DbResult<queue::QueueInfo> queue_info(std::string const& queue);
  void set_paused(std::string const& queue, bool paused);
  // Fetches waiting on `queue` are to look again once the batch commits.
  void note_ready(std::string const& queue) { resumed_.push_back(queue); }
  // A fetch from `queues` by `worker_id` (may be empty): written with the batch if its sighting is
  // due (worker_sightings.hpp).
  void note_fetch(std::string const& worker_id, std::vector<std::string> const& queues);
  // Where this node keeps which sightings it wrote; none (the default) writes none.
  void set_sightings(queue::WorkerSightings* sightings) { sightings_ = sightings; }
  // What a webhook carries (queue/outbox.hpp); none writes the minimal body.
  void set_delivery_body(queue::DeliveryBody const* body) { delivery_body_ = body; }
  void set_limited(LimitedQueues const* limited) { limited_ = limited; }
  // This node's waiting fetches, which the batch claims for; none (the default) claims for none.
  void set_waiting(WaitingFetches* waiting) { waiting_ = waiting; }

  std::string new_id();
  std::string new_trace_id();   // for a job enqueued without one
  std::string new_token();
  double unit_random();

  // --- after commit ---------------------------------------------------------------------------
  std::deque<Change> const& changes() const { return changes_; }
  std::vector<std::string> const& resumed() const { return resumed_; }
  // The rate-limited queues whose bucket a claim found empty, and how long until their next token.
  std::map<std::string, core::Micros, std::less<>> const& token_waits() const { return token_waits_; }
  // How many events the batch committed.
  std::size_t event_count() const;
  // The waiting fetches the batch claimed jobs for, to be answered now that it has committed.
  std::vector<std::pair<std::shared_ptr<queue::ParkedFetch>, std::vector<core::Job>>>& served() { return served_; }
  // The sightings the batch wrote, for WorkerSightings::written().
  std::map<std::pair<std::string, std::string>, core::TimePoint> const& sightings_written() const {
    return due_sightings_;
  }

 private:
  DbResult<void> attempt(std::vector<Op*> const& ops);
  DbResult<void> lock_named(std::vector<Op*> const& ops);
  // After the ops: each job the batch ended counts down the children waiting on it, through the
  // transition table; children it cancels end in turn (core/dependencies.hpp).
  DbResult<void> settle_children();
  // Locks the jobs of `ids` the batch does not hold yet, in seq order, into its view.
  DbResult<void> lock_more(std::vector<std::string> const& ids);
  // Step 4: the INSERT of the batch's new jobs, which assigns their seqs.
  DbResult<void> insert_new();
  // Claims, for this node's waiting fetches, in the queues where the batch inserted ready jobs.
  DbResult<void> serve_waiting();
  // The fetches served by an attempt that did not commit wait on (or go to look for themselves).
  void put_back_served();
  DbResult<void> write();
  // Statements whose rows nobody reads (the jobs' update, the counts, the stats, the events) wait
  // in pending_ and go with the COMMIT in one round trip (Connection::pipeline), instead of one
  // round trip each. A read that must see them (jobs_by_key) sends them first.
  void defer(char const* name, std::string const& sql, std::vector<Param> params);
  DbResult<void> send_deferred();
  void write_events();
  // The batch's stats: its events' rollups and errors, and the due worker sightings
  // (queue/rollup.hpp). Just before write_events, so its row locks are held only to the COMMIT.
  void write_stats();
  void clear();
  // Records the event of a change; `webhook`: the change put a delivery in the outbox.
  void record(std::size_t change, core::JobEventKind kind, core::Job const& job, bool webhook = false);
  // The delivery of the job's webhook if a change of `kind` ends `job` (queue/outbox.hpp), which
  // then shows it; whether there is one.
  bool add_delivery(core::Job& job, core::JobEventKind kind);
  DbResult<void> write_deliveries();

  // An event of the batch, and the change it belongs to (a new job that lost its key's race to
  // another node makes none).
  struct Recorded {
    std::size_t change;
    core::JobEvent event;
  };

  Connection& conn_;
  core::JobTypeTable const& job_types_;
  core::TimePoint now_{};
  std::map<std::string, core::Job, std::less<>> locked_;    // rows locked up front, as read
  std::deque<Change> changes_;
  std::map<std::string, std::size_t, std::less<>> changed_; // id -> index in changes_
  std::set<std::int64_t> touched_;                          // seqs claims must skip
  std::map<std::string, std::size_t, std::less<>> new_keys_; // IdempotencyKey::slot() -> index in changes_
  std::map<std::string, bool> paused_;                      // queue -> paused, set by this batch
  std::vector<std::string> resumed_;
  std::vector<Recorded> events_;
  std::string node_;
  queue::WorkerSightings* sightings_ = nullptr;
  queue::DeliveryBody const* delivery_body_ = nullptr;
  LimitedQueues const* limited_ = nullptr;
  WaitingFetches* waiting_ = nullptr;
  bool inserted_ = false;                                   // insert_new() has run: a new job's change is a rewrite
  std::vector<std::pair<std::shared_ptr<queue::ParkedFetch>, std::vector<core::Job>>> served_;
  std::map<std::string, PendingRunning, std::less<>> pending_running_;   // limited claims of this batch
  std::map<std::string, core::Micros, std::less<>> token_waits_;        // queues whose bucket ran dry
  std::vector<queue::Delivery> deliveries_;                 // the outbox rows the batch writes
  std::vector<Edge> new_edges_;                             // corral_job_parents rows the batch writes
  std::vector<api::BatchInfo> new_batches_;                 // corral_batches rows the batch writes
  std::set<std::string, std::less<>> settled_;              // jobs whose end settle_children has handled
  std::map<std::pair<std::string, std::string>, core::TimePoint> due_sightings_;
  std::vector<Connection::Statement> pending_;              // deferred writes, in order
};

}  // namespace corral::postgres
