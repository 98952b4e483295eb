// The API's values (api/requests.hpp) under the names the queue seam and its backends use:
// QueueService's operations take and return them as they are.
#pragma once

#include "api/requests.hpp"

namespace corral::queue {

using api::BulkAction;
using api::BulkRequest;
using api::BulkResult;
using api::CompleteItem;
using api::CompleteRequest;
using api::EnqueueResult;
using api::FailRequest;
using api::FetchRequest;
using api::GetWait;
using api::HeartbeatRequest;
using api::JobFilter;
using api::JobPage;
using api::kBulkBatch;
using api::ListCursor;
using api::ListQuery;
using api::ListSort;
using api::page_of;
using api::set_total;
using api::PruneRequest;
using api::QueueInfo;
using api::QueueUpdate;
using api::ReleaseRequest;
using api::StateCounts;

}  // namespace corral::queue
