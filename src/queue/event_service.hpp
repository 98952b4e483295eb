// A QueueService whose single-job changes are one core event each: cancel, retry and a worker's
// reports (heartbeat, complete, fail, release). This layer turns each request into its event,
// once for every backend; a backend implements only how an event (or several in one commit) is
// applied, and how several deletions are made in one commit. Bulk actions (bulk.cpp) are built
// here from those same calls, so they change jobs exactly as the single-job calls do.
#pragma once

#include "queue/queue_service.hpp"
#include "queue/report_events.hpp"

#include <string>
#include <utility>
#include <vector>

namespace corral::queue {

using IdEvent = std::pair<std::string, core::Event>;   // a job id and the event to apply to it

class EventQueueService : public QueueService {
 public:
  Task<core::Job> cancel(std::string id) override { co_return co_await apply_event(std::move(id), core::cancel_event()); }
  Task<core::Job> retry(std::string id) override { co_return co_await apply_event(std::move(id), core::retry_event()); }
  Task<core::Job> heartbeat(std::string id, HeartbeatRequest req) override {
    co_return co_await apply_event(std::move(id), to_event(std::move(req)));
  }
  Task<core::Job> complete(std::string id, CompleteRequest req) override {
    co_return co_await apply_event(std::move(id), to_event(std::move(req)));
  }
  Task<std::vector<core::Result<core::Job>>> complete_batch(std::vector<CompleteItem> items) override {
    std::vector<IdEvent> events;
    events.reserve(items.size());
    for (auto& item : items) events.emplace_back(std::move(item.id), to_event(std::move(item.report)));
    co_return co_await apply_events(std::move(events));
  }
  Task<core::Job> fail(std::string id, FailRequest req) override {
    co_return co_await apply_event(std::move(id), to_event(std::move(req)));
  }
  Task<core::Job> release(std::string id, ReleaseRequest req) override {
    co_return co_await apply_event(std::move(id), to_event(std::move(req)));
  }
  Task<BulkResult> bulk(BulkRequest req) override;

 protected:
  // Applies `ev` to job `id` through core::apply and commits it.
  virtual Task<core::Job> apply_event(std::string id, core::Event ev) = 0;
  // Applies every event in one commit; each item gets its own result, in order.
  virtual Task<std::vector<core::Result<core::Job>>> apply_events(std::vector<IdEvent> events) = 0;
  // Deletes each job as remove() does, all in one commit; each item gets its own result, in order.
  virtual Task<std::vector<core::Result<void>>> remove_each(std::vector<std::string> ids) = 0;

 private:
  // One batch of a bulk action: the jobs of `jobs` (as read) the action applies to, changed in one
  // commit (counted into out.changed), or only counted on a dry run.
  Task<void> bulk_batch(BulkRequest const& req, std::vector<core::Job> const& jobs, BulkResult& out);
};

}  // namespace corral::queue
