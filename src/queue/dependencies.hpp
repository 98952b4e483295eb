// What both backends do alike with dependencies and batches (core/dependencies.hpp), around the
// reads and writes each does its own way: the parents of a new job are looked up through `find`,
// which answers as the backend's current transaction sees the job (or none).
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/job.hpp"
#include "core/transition.hpp"
#include "queue/requests.hpp"

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace corral::queue {

// A job by id as the current transaction sees it; none: there is no such job.
using FindJob = std::function<core::Result<std::optional<core::Job>>(std::string const&)>;

// Joins a new job to its parents (core::join_parents), each found by `find` and kept to the
// job's owner's: an owner's job cannot wait on another owner's, nor learn that it exists.
core::Result<void> join_found_parents(core::Job& job, FindJob const& find, core::TimePoint now);

// The event for `child` that `parent` ended, with how every parent ended when it is the last one.
core::Result<core::Event> parent_ended_for(core::Job const& child, core::Job const& parent, FindJob const& find);

// The batch `reqs` name, if any ("" for one the server is to name).
std::optional<std::string> batch_named(std::span<core::EnqueueRequest const> reqs);

// Prepares a batch enqueue of batch `id`: each job gets the id, and each job to run when the batch
// is done an idempotency key of its own (unless it has one), so that a repeated request finds it
// as it finds the batch's other jobs.
void name_batch(std::vector<core::EnqueueRequest>& reqs, std::string const& id);

// Makes the job to run when the batch is done (reqs[i], not a member) depend on each member, by
// the ids of `results` so far (the members come first in a batch request).
void link_to_members(core::EnqueueRequest& req, std::span<core::EnqueueRequest const> reqs,
                     std::span<EnqueueResult const> results);

// The batch a batch enqueue made, from its results: the jobs to run when it is done.
api::BatchInfo batch_made(std::string id, std::span<core::EnqueueRequest const> reqs,
                          std::span<EnqueueResult const> results, core::TimePoint now);

// How an error about reqs[i] names it: "jobs[3]", or "batch.on_success" for a job the batch runs
// when it is done.
std::string field_of(std::span<core::EnqueueRequest const> reqs, std::size_t i);

// Refused: a request that adds jobs to a batch another request made.
core::Error batch_exists(std::string const& id);

}  // namespace corral::queue
