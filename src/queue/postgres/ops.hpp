// The operations a Batch runs, one class per QueueService write. Each applies the core rules to
// the batch's view of its jobs and answers through `deliver` once the batch's fate is known.
#pragma once

#include "queue/postgres/batch.hpp"

#include <functional>
#include <optional>
#include <variant>

namespace corral::postgres {

// An op whose outcome is a core::Result<T> for one caller.
template <class T>
class ReplyOp : public Op {
 public:
  using Deliver = std::function<void(core::Result<T>)>;
  explicit ReplyOp(Deliver deliver) : deliver_(std::move(deliver)) {}
  void reset() override { out_.reset(); }
  void settle(std::optional<core::Error> const& batch_error) override {
    if (batch_error) deliver_(*batch_error);
    else deliver_(std::move(*out_));
  }

 protected:
  std::optional<core::Result<T>> out_;

 private:
  Deliver deliver_;
};

class EnqueueOp final : public ReplyOp<std::vector<queue::EnqueueResult>> {
 public:
  EnqueueOp(std::vector<core::EnqueueRequest> reqs, bool single, Deliver d)
      : ReplyOp(std::move(d)), reqs_(std::move(reqs)), single_(single) {}
  // The parents its jobs name, locked up front: a parent's end on another node then either
  // commits first, and is seen, or waits for this enqueue, and finds its children.
  void ids(std::vector<std::string>& out) const override;
  DbResult<void> apply(Batch& batch) override;
  DbResult<void> result(Batch& batch) override;
  void reset() override;

 private:
  // Where request i's job comes from.
  struct Source {
    std::optional<core::Job> existing;        // a job already stored under its idempotency key
    std::optional<std::size_t> inserted;      // the batch's new job (index for Batch::new_job)
    bool created = false;                     // this request created `inserted`
  };
  std::vector<core::EnqueueRequest> reqs_;
  bool single_;
  std::vector<Source> sources_;
};

// heartbeat, complete, fail, release, cancel, retry: one core event on one job.
class EventOp final : public ReplyOp<core::Job> {
 public:
  EventOp(std::string id, core::Event ev, Deliver d) : ReplyOp(std::move(d)), id_(std::move(id)), ev_(std::move(ev)) {}
  void ids(std::vector<std::string>& out) const override { out.push_back(id_); }
  DbResult<void> apply(Batch& batch) override;

 private:
  std::string id_;
  core::Event ev_;
};

// Several reports in one op (complete_batch): one commit, each item's own result.
class EventsOp final : public ReplyOp<std::vector<core::Result<core::Job>>> {
 public:
  EventsOp(std::vector<std::pair<std::string, core::Event>> items, Deliver d)
      : ReplyOp(std::move(d)), items_(std::move(items)) {}
  void ids(std::vector<std::string>& out) const override {
    for (auto const& item : items_) out.push_back(item.first);
  }
  DbResult<void> apply(Batch& batch) override;

 private:
  std::vector<std::pair<std::string, core::Event>> items_;
};

class ClaimOp final : public ReplyOp<std::vector<core::Job>> {
 public:
  ClaimOp(queue::FetchRequest const& req, Deliver d) : ReplyOp(std::move(d)), req_(req) {}
  DbResult<void> apply(Batch& batch) override;

 private:
  queue::FetchRequest const& req_;   // owned by the suspended caller
};

class RemoveOp final : public ReplyOp<std::monostate> {
 public:
  RemoveOp(std::string id, Deliver d) : ReplyOp(std::move(d)), id_(std::move(id)) {}
  void ids(std::vector<std::string>& out) const override { out.push_back(id_); }
  DbResult<void> apply(Batch& batch) override;

 private:
  std::string id_;
};

// Several deletions in one op (a bulk delete): one commit, each item's own result.
class RemovesOp final : public ReplyOp<std::vector<core::Result<void>>> {
 public:
  RemovesOp(std::vector<std::string> ids, Deliver d) : ReplyOp(std::move(d)), ids_(std::move(ids)) {}
  void ids(std::vector<std::string>& out) const override { out.insert(out.end(), ids_.begin(), ids_.end()); }
  DbResult<void> apply(Batch& batch) override;

 private:
  std::vector<std::string> ids_;
};

class PauseOp final : public ReplyOp<queue::QueueInfo> {
 public:
  PauseOp(std::string queue, bool paused, Deliver d) : ReplyOp(std::move(d)), queue_(std::move(queue)), paused_(paused) {}
  DbResult<void> apply(Batch& batch) override;

 private:
  std::string queue_;
  bool paused_;
};

// PATCH /queues/{name}: the queue's settings, in its corral_queues row.
class UpdateQueueOp final : public ReplyOp<queue::QueueInfo> {
 public:
  UpdateQueueOp(std::string queue, queue::QueueUpdate update, Deliver d)
      : ReplyOp(std::move(d)), queue_(std::move(queue)), update_(std::move(update)) {}
  DbResult<void> apply(Batch& batch) override;

 private:
  std::string queue_;
  queue::QueueUpdate update_;
};

// Maintenance: promotes due scheduled and retrying jobs and expires leases that ran out, up to
// `limit` of each, skipping rows other nodes hold, so every node may sweep at once without
// doing the same work twice. It applies the same core events, under the same row locks, as a
// worker's report, so a sweep never undoes a completion that committed first.
class SweepOp final : public Op {
 public:
  explicit SweepOp(int limit) : limit_(limit) {}
  DbResult<void> apply(Batch& batch) override;
  void reset() override {}
  void settle(std::optional<core::Error> const&) override {}

 private:
  int limit_;
};

// Retention and on-demand prunes: deletes up to `limit` ended jobs in the request's states (of
// its queue, if it names one) that ended more than its older_than ago, oldest first, skipping
// rows other nodes hold. Deleting frees their idempotency keys.
class PruneOp final : public Op {
 public:
  PruneOp(queue::PruneRequest req, int limit) : req_(std::move(req)), limit_(limit) {}
  DbResult<void> apply(Batch& batch) override;
  void reset() override {
    pruned_ = 0;
    selected_ = 0;
  }
  void settle(std::optional<core::Error> const&) override {}
  // After a committed run: the jobs deleted, and whether the batch was full (more may match).
  std::int64_t pruned() const { return pruned_; }
  bool full() const { return selected_ == limit_; }

 private:
  queue::PruneRequest req_;
  int limit_;
  std::int64_t pruned_ = 0;
  int selected_ = 0;
};

}  // namespace corral::postgres
