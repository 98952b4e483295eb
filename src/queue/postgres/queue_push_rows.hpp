// Queues' push settings in the shared database (the columns of migration 013 on corral_queues).
// Read with the rest of a queue's row; written by UpdateQueueOp in the batch's transaction.
#pragma once

#include "queue/postgres/connection.hpp"
#include "queue/requests.hpp"

namespace corral::postgres {

// The columns a query selects, in this order, for read_push.
inline constexpr char kPushColumns[] = "push_url, push_concurrency, push_timeout_s";

// The push settings in columns `col` .. `col` + 2 of a row (kPushColumns).
api::QueuePush read_push(Rows const& rows, int row, int col);

// Sets the push columns `update` names on the queue's row, which exists.
DbResult<void> queue_push_update(Connection& conn, std::string const& queue, queue::QueueUpdate const& update);

}  // namespace corral::postgres
