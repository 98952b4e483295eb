// Bulk actions: retry, cancel or delete many jobs, named by ids or by a filter.
//
// The jobs are read a batch at a time (kBulkBatch) through list(), summaries only, a filter's by
// keyset over descending seq, so memory stays bounded whatever the number of matches, and jobs
// enqueued while the walk runs (higher seqs) are never reached, so it ends. Of each batch, the
// jobs the action applies to as read (the core rules decide, as for a single job) go to the
// backend's apply_events / remove_each: one commit per batch, each job through core::apply or
// the delete rule again under the backend's own lock or writer, with its event. A job that moved
// on between the read and the commit is refused there (wrong_state, not_found) and counted as
// skipped, so nothing is applied twice, on one node or several.
#include "queue/event_service.hpp"

#include <set>

namespace corral::queue {
namespace {

core::Event event_of(BulkAction action) {
  return action == BulkAction::retry ? core::retry_event() : core::cancel_event();
}

// Whether the action would change `job` as read: the single-job call's rules, applied to a copy.
bool applies(BulkAction action, core::Job const& job) {
  if (action == BulkAction::remove) return core::can_delete(job.status);
  auto applied = core::apply(job, event_of(action), job.updated_at);
  return applied && applied->changed;
}

template <class T>
std::int64_t successes(std::vector<core::Result<T>> const& results) {
  return std::count_if(results.begin(), results.end(), [](auto const& r) { return r.has_value(); });
}

// The ids in their first order, each once.
std::vector<std::string> distinct(std::vector<std::string> ids) {
  std::set<std::string> seen;
  std::erase_if(ids, [&seen](std::string const& id) { return !seen.insert(id).second; });
  return ids;
}

}  // namespace

Task<void> EventQueueService::bulk_batch(BulkRequest const& req, std::vector<core::Job> const& jobs,
                                         BulkResult& out) {
  std::vector<std::string> ids;
  for (auto const& job : jobs) {
    if (applies(req.action, job)) ids.push_back(job.id);
  }
  if (req.dry_run || ids.empty()) {
    if (req.dry_run) out.changed += static_cast<std::int64_t>(ids.size());
    co_return core::Result<void>{};
  }
  if (req.action == BulkAction::remove) {
    auto results = co_await remove_each(std::move(ids));
    if (!results) co_return results.error();
    out.changed += successes(*results);
    co_return core::Result<void>{};
  }
  std::vector<IdEvent> events;
  events.reserve(ids.size());
  for (auto& id : ids) events.emplace_back(std::move(id), event_of(req.action));
  auto results = co_await apply_events(std::move(events));
  if (!results) co_return results.error();
  out.changed += successes(*results);
  co_return core::Result<void>{};
}

Task<BulkResult> EventQueueService::bulk(BulkRequest req) {
  BulkResult out{.action = req.action, .dry_run = req.dry_run};
  ListQuery query;
  query.summary = true;   // the rules need the state, never the payload or the history
  query.limit = static_cast<int>(kBulkBatch);
  if (req.filter) {
    query.filter = std::move(*req.filter);
    for (;;) {
      auto page = co_await list(query);
      if (!page) co_return page.error();
      out.matched += static_cast<std::int64_t>(page->jobs.size());
      if (auto r = co_await bulk_batch(req, page->jobs, out); !r) co_return r.error();
      if (!page->next) break;
      query.cursor = page->next;
    }
    co_return out;
  }
  auto const ids = distinct(std::move(req.ids));
  out.matched = static_cast<std::int64_t>(ids.size());   // unknown ids are skipped, not errors
  query.filter.owner = std::move(req.owner);
  for (std::size_t first = 0; first < ids.size(); first += kBulkBatch) {
    auto const last = std::min(ids.size(), first + kBulkBatch);
    query.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(first), ids.begin() + static_cast<std::ptrdiff_t>(last));
    auto page = co_await list(query);
    if (!page) co_return page.error();
    if (auto r = co_await bulk_batch(req, page->jobs, out); !r) co_return r.error();
  }
  co_return out;
}

}  // namespace corral::queue
