// The embedded backend's state machine runner: every mutation of the embedded database happens
// here, on the writer thread, inside the GroupWriter's batch transaction.
//
// Each operation finds the job, applies the core transition (the only place rules live), writes
// the changed columns, and records a JobChange. Running jobs, and queued jobs up to a byte budget,
// are also kept in memory (JobCache), a copy of their row as the current transaction sees it, so
// that a fetch and the reports on its lease (heartbeat, complete, fail, release) read no row. A
// copy is replaced at every write; a failed batch clears them all, and rows are then read again on
// demand.
//
// Every change to a job goes through one write path (write()): the row, the cached copy, the
// in-memory ReadyIndex (at once) and the record of the change (published after the commit). The
// index follows each change inside the transaction, so a job enqueued early in a batch can be
// claimed later in the same batch, by a fetch op or by a parked fetch (ParkedFetches), and both
// commit with one fsync. Nothing is handed out before the commit, since every reply waits for it;
// if the batch fails, load() rebuilds the index from the database. The per-queue counts and the
// subscribers see a change only in after_commit(), so nothing uncommitted is ever reported.
//
// Not thread-safe, except stats() and job_cache_bytes(), which take mutex_.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/transition.hpp"
#include "queue/queue_service.hpp"
#include "queue/sqlite/database.hpp"
#include "queue/sqlite/dependency_store.hpp"
#include "queue/sqlite/job_cache.hpp"
#include "queue/sqlite/job_store.hpp"
#include "queue/sqlite/outbox_store.hpp"
#include "queue/sqlite/parked_fetches.hpp"
#include "queue/sqlite/rate_buckets.hpp"
#include "queue/sqlite/ready_index.hpp"
#include "queue/sqlite/running_counts.hpp"
#include "queue/sqlite/stats_store.hpp"
#include "queue/waiters.hpp"
#include "queue/worker_sightings.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace corral::sqlite {

// Errors after which the batch's transaction cannot be trusted to hold only whole operations.
bool spoils_batch(core::Error const& e);

class Engine {
 public:
  Engine(Database& db, core::JobTypeTable job_types, queue::Waiters& waiters, queue::EventLog& events);

  // Recovery: rebuilds the index, counts and paused set from the database.
  core::Result<void> load();
  // What a job's webhook carries (the job as the API shows it); before the first write.
  void set_delivery_body(queue::DeliveryBody body) { delivery_body_ = std::move(body); }
  // At start: one server owns the file, so a claim left in the outbox is of a server that died
  // while sending; freed, its deliveries are due at once.
  core::Result<void> release_delivery_claims() { return outbox_.delivery_release_claims(); }

  // --- operations, writer thread, inside a transaction -------------------------------------
  core::Result<queue::EnqueueResult> enqueue(core::EnqueueRequest const& req, core::TimePoint now);
  core::Result<std::vector<queue::EnqueueResult>> enqueue_batch(std::vector<core::EnqueueRequest> const& reqs,
                                                                core::TimePoint now);
  core::Result<std::vector<core::Job>> claim(queue::FetchRequest const& req, core::TimePoint now);
  // A fetch that waits: claims now, or parks the fetch until a later batch has work for it. The
  // fetch is answered through `fetch` itself, never before the commit of the batch that claimed.
  // Returns only the errors that spoil the batch.
  core::Result<void> claim_or_park(std::shared_ptr<queue::ParkedFetch> fetch, core::TimePoint now) {
    return parked_.claim_or_park(std::move(fetch), now);
  }
  // End of a batch's ops: claims, for the parked fetches, the work this batch made ready.
  core::Result<void> serve_parked(core::TimePoint now) { return parked_.serve(now); }
  // Answers every parked fetch with no jobs, and every later one that would park (shutdown).
  void release_parked() { parked_.close(); }
  // heartbeat, complete, fail, release, cancel, retry: one event on one job by id.
  core::Result<core::Job> apply_event(std::string const& id, core::Event const& event, core::TimePoint now);
  core::Result<void> remove(std::string const& id, core::TimePoint now);
  core::Result<queue::QueueInfo> set_paused(std::string const& queue, bool paused);
  // PATCH /queues/{name}: its concurrency limits, push delivery, rate limit and priority aging,
  // durable with the batch.
  core::Result<queue::QueueInfo> update_queue(std::string const& queue, queue::QueueUpdate const& update);
  // The webhook outbox (queue/outbox.hpp): claims due deliveries, and records a try's outcome in
  // the outbox and on the job's webhook.
  core::Result<queue::ClaimedDeliveries> claim_deliveries(queue::DeliveryClaim const& claim, core::TimePoint now);
  core::Result<void> report_delivery(queue::DeliveryReport const& report);
  // Promotes due jobs and expires leases whose deadline has passed (at most `limit` per call), and
  // at most once a second deletes finished jobs past their retention.
  core::Result<void> act_on_deadlines(core::TimePoint now, std::size_t limit);
  std::optional<core::TimePoint> next_deadline() const;
  // One batch of an on-demand prune: looks at the `limit` jobs in `state` after seq `after_seq`
  // and deletes those that ended before `cutoff` (unix micros), of `queue` if given. The next
  // batch resumes after `resume_after`; none when no jobs in `state` are left to look at.
  struct PruneStep {
    std::int64_t pruned = 0;
    std::optional<std::int64_t> resume_after;
  };
  core::Result<PruneStep> prune_step(core::JobState state, std::int64_t after_seq, std::int64_t cutoff,
                                     std::optional<std::string> const& queue, std::size_t limit, core::TimePoint now);
  // Ended jobs are deleted this long after they ended; 0 (the default) keeps them. Before load():
  // makes (or drops) the index that retention queue by queue reads, which only a server where
  // some queue has its own retention needs.
  core::Result<void> set_retention(queue::Retention keep);
  // Non-terminal jobs the index knows (all of them right after load()).
  std::size_t active_jobs() const { return index_.size(); }
  // A draw in [0, 1) for jitter.
  double unit_random();

  // --- the end of the batch -------------------------------------------------------------------
  // Last step inside the transaction: reserves the batch's event numbers in the database.
  core::Result<void> before_commit(core::TimePoint now);
  // The next batch is the last: it writes the stats rollups held in memory, and the exact number
  // of the last event instead of the end of its block, so that after a clean restart numbering
  // goes on without a jump (a stream resuming across it hears of no gap).
  void prepare_to_stop() {
    next_stats_flush_ = core::TimePoint{};
    last_batch_ = true;
  }
  // The batch committed: apply its changes to memory, publish them and wake waiters.
  void after_commit();
  // The batch failed (`why`): forget its changes and rebuild memory from the database. An error
  // means the rebuild failed: memory no longer matches the database, and nothing may be written
  // until a restart rebuilds it (GroupWriter makes that sticky).
  core::Result<void> after_rollback(core::Error const& why);

  // --- thread-safe ----------------------------------------------------------------------------
  std::vector<queue::QueueInfo> stats() const;
  // The rollups committed but not yet written (write_stats), as rows of `span_s` and errors from
  // minute `first_s` on, of `queue` and `type` if given: what a stats read adds to the table's.
  std::vector<queue::RollupRow> unwritten_rollups(std::int64_t span_s, std::optional<std::string> const& queue,
                                                  std::optional<std::string> const& type) const;
  std::vector<queue::ErrorRow> unwritten_errors(std::int64_t first_s, std::optional<std::string> const& queue,
                                                std::optional<std::string> const& type) const;
  // The bytes of queued jobs' copies in the job cache, as of the last commit (for /metrics).
  std::size_t job_cache_bytes() const;
  // Counts by (queue, type, priority) as of the last commit, for stats.
  std::map<queue::CountKey, queue::StateCounts> detail_counts() const;
  // When the oldest ready job of each queue with ready jobs became ready, as of the last commit.
  std::map<std::string, core::TimePoint> oldest_ready() const;

 private:
  // How a change reaches the job's row.
  enum class RowWrite { insert, update, erase };
  // A change recorded in the transaction, published (counted, woken on, appended to the event
  // log) after the commit. Its event holds what the counts and wake-ups need of the job, so no
  // copy of the whole job (payload, attempts) is kept.
  struct Pending {
    std::optional<core::JobState> before;   // none for a new job
    bool deleted = false;
    core::JobEvent event;                   // numbered in after_commit
  };
  // Every change to a job goes through here, inside the transaction: writes the row, keeps the
  // cached copy in step with it, moves the job in the ready index, and records the change (and
  // its event of `kind`) for after_commit(). A change that ends a job with a callback_url writes
  // its webhook's delivery to the outbox here too, so both commit together. `before`: the job's state before the change (none
  // for a new job), for the counts. Returns the job as written (an insert gives it its seq).
  core::Result<core::Job> write(RowWrite how, std::optional<core::JobState> before, core::Job job,
                                core::JobEventKind kind, core::TimePoint now);
  // Writes `job` (just written by an expiry) made ready as well when its retry is due at once
  // (core::due_at_once): the two commit together.
  core::Result<void> ready_if_due(core::Job const& job, core::TimePoint now);
  // `parent` (just written) has ended: each child waiting on it counts it down, through the
  // transition table, and the last parent's end makes the child ready (or cancels it).
  core::Result<void> end_for_children(core::Job const& parent, core::TimePoint now);
  // The job as the current transaction sees it: the in-memory copy of a leased job, else its row.
  core::Result<std::optional<core::Job>> find(std::string const& id);
  // A queued job the ready index named, as the current transaction sees it.
  core::Result<std::optional<core::Job>> find_queued(std::int64_t seq);
  // The next ready job of a limited queue that its limits let start, taken out of the index.
  std::optional<std::int64_t> pop_startable(std::string const& queue, core::ConcurrencyLimits const& limits);
  // The writer's view of a queue's rate limit and aging: in memory, and in the index and buckets.
  void apply_flow(std::string const& queue, core::QueueFlow const& flow);
  core::Result<void> prune(core::TimePoint now, std::size_t limit);
  // Every queue under the global retention: by state, oldest first, through jobs_by_status.
  core::Result<void> prune_all_queues(core::TimePoint now, std::size_t limit);
  // Some queue has its own retention: queue by queue, through jobs_ended_by_queue.
  core::Result<void> prune_queue_by_queue(core::TimePoint now, std::size_t limit);
  // The queues with jobs in the ended `state`, as last committed: those retention looks into.
  std::vector<std::string> queues_holding(core::JobState state) const;
  // Deletes the ended job with this seq, if it is still there (an event `pruned`).
  core::Result<void> erase_ended(std::int64_t seq, core::TimePoint now);
  std::string new_id(core::TimePoint now);
  std::string new_trace_id();   // for a job enqueued without one
  std::string new_token();
  queue::QueueInfo queue_info_locked(std::string const& name) const;
  // Stats of the batch, inside its transaction: its events' rollups and the due worker sightings.
  // The batch's worker sightings, and at most once a second the rollups of the events committed
  // since the last write (queue/rollup.hpp) with this batch's. Rollups are summed in memory in
  // between, rather than written by every commit: a batch of one job would otherwise write a
  // dozen rows, a third more instructions per job. A crash loses at most the last second of them.
  core::Result<void> write_stats(core::TimePoint now);
  // After the commit: the counts by (queue, type, priority) and the oldest ready job of each queue
  // the batch changed (mutex_ held).
  void publish_stats_locked();

  Database& db_;
  JobStore store_;
  DependencyStore deps_;
  std::int64_t edges_ = 0;                  // writer thread: rows of job_parents (parents yet to end)
  OutboxStore outbox_;
  queue::DeliveryBody delivery_body_;
  core::JobTypeTable job_types_;
  queue::Waiters& waiters_;
  queue::EventLog& events_;
  // Event numbers are reserved in the database a block at a time (event_seq holds the end of the
  // block), so a batch writes the counter once per kEventSeqBlock events rather than every time;
  // after a restart numbering starts past the whole block, so it still only rises.
  static constexpr std::int64_t kEventSeqBlock = 100'000;
  std::int64_t last_event_seq_ = 0;         // writer thread only: the last committed event's number
  std::int64_t reserved_event_seq_ = 0;     // writer thread only: the end of the reserved block
  ReadyIndex index_;
  RunningCounts running_;                   // limits, and running jobs per queue and key
  RateBuckets rates_;                       // rate-limited queues' token buckets
  std::map<std::string, core::QueueFlow> flow_;   // writer's view of queues' rate limits and aging
  std::mt19937_64 rng_;
  queue::Retention retention_;
  core::TimePoint next_prune_{};            // writer thread only
  std::vector<Pending> pending_;            // recorded this batch, applied in after_commit
  std::set<std::string> paused_;            // writer's view; stats_ has the published one
  ParkedFetches parked_;                    // long-polls waiting on the writer for work
  JobCache cache_;                          // rows as last written: running jobs, some queued ones
  StatsWriter stats_writer_;
  queue::WorkerSightings sightings_;
  SightingMap due_sightings_;               // this batch's fetches whose sighting is due
  queue::Rollup unflushed_;                 // committed events' rollups not yet written: changed by the
                                            // writer under mutex_, read by it without
  bool flushing_ = false;                   // writer thread: this batch writes unflushed_
  bool last_batch_ = false;                 // writer thread: prepare_to_stop() was called
  core::TimePoint next_stats_flush_{};      // writer thread
  core::TimePoint next_trim_{};             // writer thread only: when rollups are next trimmed

  mutable std::mutex mutex_;
  std::map<std::string, queue::StateCounts> counts_;             // GUARDED_BY(mutex_)
  std::set<std::string> published_paused_;                        // GUARDED_BY(mutex_)
  std::map<std::string, core::ConcurrencyLimits> published_limits_; // GUARDED_BY(mutex_)
  std::map<std::string, api::QueuePush> published_push_;          // GUARDED_BY(mutex_); written by the writer
  std::map<std::string, core::QueueFlow> published_flow_;         // GUARDED_BY(mutex_); written by the writer
  std::size_t published_cache_bytes_ = 0;                          // GUARDED_BY(mutex_)
  std::map<queue::CountKey, queue::StateCounts> detail_counts_;  // GUARDED_BY(mutex_)
  std::map<std::string, core::TimePoint> oldest_ready_;           // GUARDED_BY(mutex_)
};

}  // namespace corral::sqlite
