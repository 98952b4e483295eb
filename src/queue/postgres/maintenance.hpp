// The maintenance every node runs, safe when all nodes run it at once:
//   - sweep (every tick, 250 ms): promote due jobs and expire leases, through SweepOp (SKIP
//     LOCKED, so nodes split the work instead of repeating it);
//   - fold (every second): move count deltas into the per-queue counts, under an advisory lock so
//     one node folds at a time;
//   - trim events (every second): delete the events older than the window kept for resuming;
//   - retention (every second): delete each queue's ended jobs past its retention, queue by
//     queue, through PruneOp;
//   - trim stats (every minute): delete rollups, errors and worker sightings older than 8 days;
//   - fallback wake (every second): for each queue this node has long-polls parked on, check
//     whether it has ready jobs, and wake them if so; this covers a lost notification.
#pragma once

#include "queue/postgres/connection.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace corral::postgres {

// Folds pending count deltas into corral_queue_counts if no other node is folding right now.
DbResult<void> fold_counts(Connection& conn);
// Deletes the events all but the last `window` ones.
DbResult<void> trim_events(Connection& conn, std::size_t window);
// Deletes the stats rows older than queue::kRollupKeepS by the database's clock.
DbResult<void> trim_stats(Connection& conn);
// Of `queues`, those that are not paused and have at least one queued job.
DbResult<std::vector<std::string>> queues_with_ready_jobs(Connection& conn, std::vector<std::string> const& queues);

// The queues that hold ended jobs, by the folded counts and the deltas not yet folded: those
// retention looks into.
DbResult<std::vector<std::string>> queues_with_ended_jobs(Connection& conn);

// Runs `tick` every `interval` on a thread of its own until stopped.
class Ticker {
 public:
  Ticker(std::chrono::milliseconds interval, std::function<void()> tick);
  ~Ticker();
  void stop();

 private:
  std::chrono::milliseconds interval_;
  std::function<void()> tick_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;   // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace corral::postgres
