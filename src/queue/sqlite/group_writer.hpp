// The single writer of the embedded database, with group commit.
//
// Contract: a 2xx reply means the change is on disk. Requests (WriteOps) join a queue and wait;
// the writer thread takes everything queued (up to kMaxBatchOps, so one burst cannot starve the
// next), applies it in one transaction, commits once (one WAL fsync, synchronous=FULL), and only
// then applies the batch's effects to memory (Engine::after_commit) and settles each op, which
// posts its reply back to the waiting coroutine. Between batches the writer also wakes for the
// earliest deadline (run_at, lease expiry) and acts on it in a batch of its own. After a batch's
// ops, and before its commit, the engine claims for the fetches parked on it (parked_fetch.hpp)
// the work that batch made ready.
//
// After the replies, the writer keeps the WAL under its bound (WalBound), so checkpoints never
// delay a reply.
//
// Commit on the caller (commit_on_caller): an op that finds nothing queued and nothing running,
// while the last batch carried one op at most, is committed by submit() on the caller's own
// thread, which saves handing it to the writer thread and the reply back (two wake-ups, about a
// tenth of a lone enqueue's time). Whoever runs a batch holds the engine (busy_); ops that arrive
// meanwhile queue for the writer thread, which groups them as before, so a loaded server still
// commits in groups. For callers that may block for one commit while other threads serve.
//
// Failures: a failed batch settles every op with the error and the engine reloads from the
// database. A full disk (storage_full) is recoverable: later batches try again. Any other failed
// commit may mean a failed fsync, whose pages the kernel may have dropped: the writer then refuses
// every later write (sticky, as leveldb's bg_error_) and readiness turns red. So does a reload
// that fails, after any failed batch: the engine's memory then no longer matches the database.
//
// Alternatives rejected: syncing on a timer after replying (loses acknowledged work on power
// loss); a writer per request (one fsync each caps throughput at the disk's sync rate).
//
// Thread-safe: submit(), release_parked(), failure() and stop() may be called from any thread.
#pragma once

#include "core/error.hpp"
#include "queue/commit_metrics.hpp"
#include "queue/commit_latency.hpp"
#include "queue/sqlite/database.hpp"
#include "queue/sqlite/engine.hpp"
#include "queue/sqlite/wal_bound.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace corral::sqlite {

struct WriteOp {
  // Runs on the writer thread inside the batch transaction and records its own result. Returns a
  // storage error when the database failed under it: the whole batch then rolls back, since
  // SQLite may have undone part of the transaction and an op may have written half its rows.
  std::function<std::optional<core::Error>(Engine&, core::TimePoint now)> apply;
  // Runs on the writer thread once the batch's fate is known: nullopt if it committed, else why not.
  std::function<void(std::optional<core::Error> const& batch_error)> settle;
};

class GroupWriter {
 public:
  static constexpr std::size_t kMaxBatchOps = 512;
  static constexpr std::size_t kMaxDeadlinesPerBatch = 1000;

  // `wal` may be null: no bound on the WAL beyond SQLite's automatic checkpoints. `commits`, if
  // given, times every committed batch that carried ops.
  GroupWriter(Database& db, Engine& engine, WalBound* wal = nullptr, queue::CommitMetrics* commits = nullptr,
              bool commit_on_caller = false);
  ~GroupWriter();

  void submit(WriteOp op);
  // Finishes every op already submitted, then stops the thread. Later submits fail.
  void stop();
  // Answers every parked fetch with no jobs, now and from now on (shutdown).
  void release_parked();
  // The sticky failure, if the writer has stopped accepting writes.
  std::optional<core::Error> failure() const;
  // How long the batches of the last minute took, from BEGIN to the end of COMMIT (for health).
  queue::CommitLatency const& latency() const { return latency_; }

 private:
  void run();
  void run_batch(std::deque<WriteOp>& batch);
  core::Result<void> apply_batch(std::deque<WriteOp>& batch, core::TimePoint now);
  void fail_for_good(core::Error const& cause, std::string const& what);

  bool const commit_on_caller_;
  Database& db_;
  Engine& engine_;
  WalBound* wal_;
  queue::CommitMetrics* commits_;
  Statement begin_, commit_, rollback_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<WriteOp> queue_;          // GUARDED_BY(mutex_)
  bool stopping_ = false;              // GUARDED_BY(mutex_)
  bool release_parked_ = false;        // GUARDED_BY(mutex_)
  // Whoever runs a batch holds the engine: the writer thread, or a caller committing its own op.
  bool busy_ = false;                  // GUARDED_BY(mutex_)
  bool writer_waits_for_busy_ = false;                  // GUARDED_BY(mutex_)
  std::optional<core::TimePoint> writer_deadline_;      // GUARDED_BY(mutex_): what the writer sleeps until
  std::size_t last_batch_ops_ = 0;     // GUARDED_BY(mutex_): ops the writer's last batch carried
  bool engine_moved_ = false;          // GUARDED_BY(mutex_): a caller's batch ran since the writer looked
  std::optional<core::Error> failed_;  // GUARDED_BY(mutex_)
  queue::CommitLatency latency_;
  std::thread thread_;
};

}  // namespace corral::sqlite
