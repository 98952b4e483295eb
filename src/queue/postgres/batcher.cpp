#include "queue/postgres/batcher.hpp"

#include <boost/asio/post.hpp>

#include <chrono>

namespace corral::postgres {

Batcher::Batcher(Pool& pool, boost::asio::thread_pool& threads, core::JobTypeTable job_types, std::string node,
                 int max_inflight, Committed committed, Announce announce, queue::CommitMetrics* commits)
    : pool_(pool),
      threads_(threads),
      job_types_(std::move(job_types)),
      node_(std::move(node)),
      max_inflight_(max_inflight),
      committed_(std::move(committed)),
      announce_(std::move(announce)),
      commits_(commits) {}

void Batcher::submit(std::unique_ptr<Op> op) {
  {
    std::lock_guard lock(mutex_);
    if (!closed_) {
      queue_.push_back(std::move(op));
      if (inflight_ >= max_inflight_) return;   // a running batch takes it when it is done
      ++inflight_;
    }
  }
  if (op) {
    op->settle(core::make_error(core::Errc::shutting_down, "the server is shutting down"));
    return;
  }
  boost::asio::post(threads_, [this] { run(); });
}

void Batcher::close() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  idle_.wait(lock, [this] { return inflight_ == 0; });
}

void Batcher::run() {
  for (;;) {
    std::vector<std::unique_ptr<Op>> ops;
    {
      std::lock_guard lock(mutex_);
      while (!queue_.empty() && ops.size() < kMaxBatchOps) {
        ops.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (ops.empty()) {
        --inflight_;
        idle_.notify_all();
        return;
      }
    }
    std::vector<Op*> raw;
    for (auto& op : ops) raw.push_back(op.get());
    auto conn = pool_.acquire();
    if (!conn) {
      for (auto* op : raw) op->settle(conn.error().error);
      continue;
    }
    Batch batch(**conn, job_types_, node_);
    batch.set_sightings(&sightings_);
    batch.set_delivery_body(delivery_body_);
    batch.set_limited(limited_);
    batch.set_waiting(waiting_);
    auto const began = std::chrono::steady_clock::now();
    if (auto r = batch.run(raw); !r) {
      for (auto* op : raw) op->settle(r.error().error);
      continue;
    }
    auto const took = std::chrono::steady_clock::now() - began;
    if (commits_) commits_->record(took, raw.size());
    latency_.record(took);
    sightings_.written(batch.sightings_written());
    // The served fetches first: answered, they take no wake-up that the commit sends for the
    // jobs they did not take (ParkedFetch::wake), which then goes straight to another waiter.
    for (auto& [fetch, jobs] : batch.served()) fetch->answer(std::move(jobs));
    auto const wakes = committed_(batch);
    for (auto* op : raw) op->settle(std::nullopt);
    announce_(wakes, **conn);
  }
}

}  // namespace corral::postgres
