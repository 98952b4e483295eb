#include "queue/dependencies.hpp"

#include "core/dependencies.hpp"

namespace corral::queue {

core::Result<void> join_found_parents(core::Job& job, FindJob const& find, core::TimePoint now) {
  if (job.depends_on.empty()) return {};
  std::vector<std::optional<core::Job>> found;
  found.reserve(job.depends_on.size());
  for (auto const& id : job.depends_on) {
    auto parent = find(id);
    if (!parent) return parent.error();
    if (*parent && (*parent)->owner != job.owner && job.owner) parent->reset();
    found.push_back(std::move(*parent));
  }
  std::vector<core::Job const*> parents;
  parents.reserve(found.size());
  for (auto const& p : found) parents.push_back(p ? &*p : nullptr);
  return core::join_parents(job, parents, now);
}

core::Result<core::Event> parent_ended_for(core::Job const& child, core::Job const& parent, FindJob const& find) {
  std::vector<core::ParentOutcome> outcomes;
  if (child.parents_left <= 1) {
    outcomes.reserve(child.depends_on.size());
    for (auto const& id : child.depends_on) {
      if (id == parent.id) {
        outcomes.push_back(core::outcome_of(parent));
        continue;
      }
      auto other = find(id);
      if (!other) return other.error();
      // Deleted since it ended (retention): its end is no longer known.
      outcomes.push_back(*other ? core::outcome_of(**other) : core::ParentOutcome{id, std::nullopt, std::nullopt});
    }
  }
  return core::parent_ended_event(parent, std::move(outcomes));
}

std::optional<std::string> batch_named(std::span<core::EnqueueRequest const> reqs) {
  for (auto const& r : reqs) {
    if (r.batch) return r.batch;
  }
  return std::nullopt;
}

void name_batch(std::vector<core::EnqueueRequest>& reqs, std::string const& id) {
  for (auto& r : reqs) {
    r.batch = id;
    if (r.batch_role != core::BatchRole::member && !r.idempotency_key) {
      r.idempotency_key = "corral-batch:" + id + (r.batch_role == core::BatchRole::on_success ? ":on_success" : ":on_complete");
    }
  }
}

void link_to_members(core::EnqueueRequest& req, std::span<core::EnqueueRequest const> reqs,
                     std::span<EnqueueResult const> results) {
  req.depends_on.clear();
  for (std::size_t i = 0; i < reqs.size() && i < results.size(); ++i) {
    if (reqs[i].batch_role == core::BatchRole::member && !results[i].job.id.empty()) {
      req.depends_on.push_back(results[i].job.id);
    }
  }
  req.on_parent_failure = req.batch_role == core::BatchRole::on_success ? core::OnParentFailure::cancel
                                                                         : core::OnParentFailure::run;
}

api::BatchInfo batch_made(std::string id, std::span<core::EnqueueRequest const> reqs,
                          std::span<EnqueueResult const> results, core::TimePoint now) {
  api::BatchInfo info;
  info.id = std::move(id);
  info.created_at = now;
  for (std::size_t i = 0; i < reqs.size() && i < results.size(); ++i) {
    if (!info.owner) info.owner = reqs[i].owner;
    if (reqs[i].batch_role == core::BatchRole::on_success) info.on_success = results[i].job.id;
    if (reqs[i].batch_role == core::BatchRole::on_complete) info.on_complete = results[i].job.id;
  }
  return info;
}

std::string field_of(std::span<core::EnqueueRequest const> reqs, std::size_t i) {
  switch (reqs[i].batch_role) {
    case core::BatchRole::on_success: return "batch.on_success";
    case core::BatchRole::on_complete: return "batch.on_complete";
    case core::BatchRole::member: break;
  }
  return "jobs[" + std::to_string(i) + "]";
}

core::Error batch_exists(std::string const& id) {
  return core::make_error(core::Errc::already_exists,
                          "batch " + id + " exists; a batch is made by one request (send it again with the same "
                          "idempotency keys to get its jobs)");
}

}  // namespace corral::queue
