// Group commit for the PostgreSQL backend: ops that arrive while earlier batches run wait, and
// the next free runner takes them all (up to kMaxBatchOps) into one transaction. At most
// `max_inflight` batches run at once, each on a thread of `threads` with a connection of `pool`,
// so many concurrent requests share few commits and few connections.
//
// After a batch commits, the waiting fetches it served are answered, then `committed` runs on the
// batch's thread (this node's wake-ups and subscribers) before the ops are answered, and `announce` tells other nodes the wake-ups it
// returned after, so replies do not wait for it. Thread-safe.
#pragma once

#include "queue/commit_metrics.hpp"
#include "queue/postgres/batch.hpp"
#include "queue/postgres/limited_claims.hpp"
#include "queue/postgres/notifier.hpp"
#include "queue/postgres/pool.hpp"
#include "queue/commit_latency.hpp"
#include "queue/worker_sightings.hpp"

#include <boost/asio/thread_pool.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace corral::postgres {

class Batcher {
 public:
  static constexpr std::size_t kMaxBatchOps = 256;
  using Committed = std::function<Wakes(Batch&)>;
  using Announce = std::function<void(Wakes const&, Connection&)>;

  // `node` names this node in the events its batches commit. `commits`, if given, times every
  // committed batch.
  Batcher(Pool& pool, boost::asio::thread_pool& threads, core::JobTypeTable job_types, std::string node,
          int max_inflight, Committed committed, Announce announce, queue::CommitMetrics* commits = nullptr);

  // What a webhook carries (queue/outbox.hpp); before the first submit.
  void set_delivery_body(queue::DeliveryBody const* body) { delivery_body_ = body; }
  // Which queues have concurrency limits (limited_claims.hpp); before the first submit.
  void set_limited(LimitedQueues const* limited) { limited_ = limited; }
  // This node's waiting fetches, which its batches claim for (waiting_fetches.hpp); before the
  // first submit.
  void set_waiting(WaitingFetches* waiting) { waiting_ = waiting; }
  void submit(std::unique_ptr<Op> op);
  // Refuses later ops with shutting_down and waits for the running batches to finish.
  void close();
  // How long this node's batches of the last minute took, BEGIN to COMMIT (for health).
  queue::CommitLatency const& latency() const { return latency_; }

 private:
  void run();

  Pool& pool_;
  boost::asio::thread_pool& threads_;
  core::JobTypeTable job_types_;
  std::string node_;
  int max_inflight_;
  Committed committed_;
  Announce announce_;
  queue::CommitMetrics* commits_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::deque<std::unique_ptr<Op>> queue_;   // GUARDED_BY(mutex_)
  int inflight_ = 0;                        // GUARDED_BY(mutex_)
  bool closed_ = false;                     // GUARDED_BY(mutex_)
  queue::CommitLatency latency_;
  queue::WorkerSightings sightings_;        // the worker sightings this node wrote, and when
  queue::DeliveryBody const* delivery_body_ = nullptr;
  LimitedQueues const* limited_ = nullptr;
  WaitingFetches* waiting_ = nullptr;
};

}  // namespace corral::postgres
