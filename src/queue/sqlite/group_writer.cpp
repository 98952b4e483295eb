#include "queue/sqlite/group_writer.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace corral::sqlite {
namespace {

core::TimePoint wall_now() {
  return std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
}

core::Error stopped_error() {
  return core::make_error(core::Errc::shutting_down, "the server is shutting down");
}

}  // namespace

GroupWriter::GroupWriter(Database& db, Engine& engine, WalBound* wal, queue::CommitMetrics* commits,
                         bool commit_on_caller)
    : commit_on_caller_(commit_on_caller),
      db_(db),
      engine_(engine),
      wal_(wal),
      commits_(commits),
      begin_(db.handle(), "BEGIN IMMEDIATE"),
      commit_(db.handle(), "COMMIT"),
      rollback_(db.handle(), "ROLLBACK"),
      thread_([this] {
        pthread_setname_np(pthread_self(), "corral-writer");   // named in top, perf and /proc
        run();
      }) {}

GroupWriter::~GroupWriter() { stop(); }

void GroupWriter::submit(WriteOp op) {
  std::optional<core::Error> refuse;
  std::deque<WriteOp> mine;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) refuse = stopped_error();
    else if (failed_) refuse = failed_;
    else if (commit_on_caller_ && !busy_ && queue_.empty() && last_batch_ops_ <= 1) {
      // Nothing queued, nothing running, and the last batch carried one op at most (a quiet
      // server): the caller commits its own op, without handing it to the writer thread and the
      // reply back. Under load, ops wait for the writer's next batch, which groups them.
      busy_ = true;
      mine.push_back(std::move(op));
    } else {
      queue_.push_back(std::move(op));
    }
  }
  if (refuse) {
    op.settle(refuse);
    return;
  }
  if (mine.empty()) {
    cv_.notify_one();
    return;
  }
  run_batch(mine);
  bool wake_writer = false;
  {
    std::lock_guard lock(mutex_);
    // The writer sleeps until its deadline or until told: tell it if ops queued meanwhile, if it
    // waits for this batch to end, or if the batch made a deadline earlier than the one it waits for.
    auto const deadline = failed_ ? std::nullopt : engine_.next_deadline();
    wake_writer = !queue_.empty() || writer_waits_for_busy_ || stopping_ || release_parked_ ||
                  (deadline && (!writer_deadline_ || *deadline < *writer_deadline_));
    busy_ = false;
    engine_moved_ = true;
  }
  if (wake_writer) cv_.notify_one();
}

void GroupWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void GroupWriter::release_parked() {
  {
    std::lock_guard lock(mutex_);
    release_parked_ = true;
  }
  cv_.notify_one();
}

std::optional<core::Error> GroupWriter::failure() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

void GroupWriter::run() {
  for (;;) {
    std::deque<WriteOp> batch;
    std::optional<core::Error> refuse;
    bool release = false;
    {
      std::unique_lock lock(mutex_);
      for (;;) {
        // A caller committing its own op (submit) holds the engine: wait until it is done.
        if (busy_) {
          writer_waits_for_busy_ = true;
          cv_.wait(lock, [&] { return !busy_; });
          writer_waits_for_busy_ = false;
        }
        if (queue_.empty() && stopping_) {
          busy_ = true;   // for good: no caller commits after stop
          lock.unlock();
          engine_.release_parked();
          return;
        }
        // A failed writer acts on no deadline: it commits nothing more.
        writer_deadline_ = failed_ ? std::nullopt : engine_.next_deadline();
        engine_moved_ = false;
        auto has_work = [&] { return !queue_.empty() || stopping_ || release_parked_ || engine_moved_; };
        bool woken = true;
        if (writer_deadline_) {
          // Deadlines are wall-clock instants stored in the database.
          woken = cv_.wait_until(lock, std::chrono::system_clock::time_point(*writer_deadline_), has_work);
        } else {
          cv_.wait(lock, has_work);
        }
        writer_deadline_.reset();
        if (busy_) continue;
        // Stopping with nothing queued, or a caller's batch changed the engine (its deadlines) and
        // left nothing else to do: look again.
        if (queue_.empty() && (stopping_ || (woken && !release_parked_))) continue;
        break;
      }
      busy_ = true;
      release = std::exchange(release_parked_, false);
      if (failed_) {
        // Ops queued while the failing batch ran are refused like later ones. Committing them
        // would sync a file whose last sync failed, and that sync can succeed without their
        // pages (the kernel may have dropped them): a reply would then claim what is not on disk.
        refuse = failed_;
        batch.swap(queue_);
      }
      while (!queue_.empty() && batch.size() < kMaxBatchOps) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (!batch.empty()) last_batch_ops_ = batch.size();
    }
    if (release) engine_.release_parked();
    if (refuse) {
      for (auto& op : batch) op.settle(refuse);
    } else if (!batch.empty() || !release) {
      run_batch(batch);  // an empty batch: the deadlines
    }
    std::lock_guard lock(mutex_);
    busy_ = false;
  }
}

void GroupWriter::run_batch(std::deque<WriteOp>& batch) {
  auto const now = wall_now();
  auto const began = std::chrono::steady_clock::now();
  auto result = apply_batch(batch, now);
  if (result && commits_ && !batch.empty()) commits_->record(std::chrono::steady_clock::now() - began, batch.size());
  std::optional<core::Error> batch_error;
  if (result) {
    latency_.record(queue::CommitLatency::Clock::now() - began);
    engine_.after_commit();
  } else {
    batch_error = result.error();
    // The transaction may already be gone; a failed ROLLBACK changes nothing more.
    (void)rollback_.run();
    auto rebuilt = engine_.after_rollback(*batch_error);
    // Only an unexplained database failure is sticky: a full disk frees up, and an internal
    // error (a failed constraint) says nothing about the disk. So is a failed rebuild of the
    // engine's memory, whatever the batch failed with: its ready index would no longer match the
    // database, so jobs would never be handed out, or be handed out twice, until a restart.
    if (batch_error->code == core::Errc::storage_unavailable) {
      fail_for_good(*batch_error, "commit");
    } else if (!rebuilt) {
      fail_for_good(rebuilt.error(), "reload after a failed batch");
    }
  }
  for (auto& op : batch) op.settle(batch_error);
  if (batch_error || !wal_) return;
  // A checkpoint that failed to write or sync the database file may have lost pages the WAL
  // still holds; a later one that succeeds would then drop them from the WAL: sticky too. A
  // full disk is not: the WAL keeps every frame and the next checkpoint tries again.
  if (auto r = wal_->after_commit(); !r && r.error().code == core::Errc::storage_unavailable) {
    fail_for_good(r.error(), "checkpoint");
  }
}

void GroupWriter::fail_for_good(core::Error const& cause, std::string const& what) {
  // Nothing will be committed for the parked fetches any more (this runs on the writer thread).
  engine_.release_parked();
  std::lock_guard lock(mutex_);
  failed_ = core::make_error(core::Errc::storage_unavailable,
                             "the database failed to " + what + "; the server refuses writes until restarted: " +
                                 cause.message);
  spdlog::critical("{}", failed_->message);
}

core::Result<void> GroupWriter::apply_batch(std::deque<WriteOp>& batch, core::TimePoint now) {
  if (auto r = begin_.run(); !r) return r.error();
  if (auto r = engine_.act_on_deadlines(now, kMaxDeadlinesPerBatch); !r) return r.error();
  for (auto& op : batch) {
    if (auto storage_error = op.apply(engine_, now)) return *storage_error;
  }
  if (auto r = engine_.serve_parked(now); !r) return r.error();
  if (auto r = engine_.before_commit(now); !r) return r.error();
  // COMMIT is where the WAL is fsynced (synchronous=FULL): replies wait for it.
  return commit_.run();
}

}  // namespace corral::sqlite
