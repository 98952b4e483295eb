// Queues' rate limits and priority aging in the shared database (the columns of migration 015 on
// corral_queues). Read with the rest of a queue's row; written by UpdateQueueOp in the batch's
// transaction. Claims of such queues go through claim_limited (limited_claims.hpp), which keeps
// the bucket and orders by the aging rank.
//
// Aging on PostgreSQL: a ready job's rank is priority - rate * run_at (run_at: when it became
// ready, in microseconds). It is not stored: writing a rank column would mean changing every
// statement that makes a job ready, and a trigger would tax every queue. Instead an aging queue
// gets a partial index of its own on that expression, with the rate written into it as a literal
// (WHERE queue = NAME AND status = 'queued'); the claim orders by the same text, so the planner
// reads that index in order, as the plain claim reads corral_jobs_ready. Queues without aging
// have no such index and keep the plain claim. Building the index when the rate changes is the
// one recomputation of the queue's ranks; it takes the table's SHARE lock while it builds, so
// setting a rate briefly holds up writes (a rare administrative act).
#pragma once

#include "core/queue_flow.hpp"
#include "queue/postgres/connection.hpp"
#include "queue/requests.hpp"

#include <string>

namespace corral::postgres {

// The columns a query selects, in this order, for read_flow.
inline constexpr char kFlowColumns[] = "rate_jobs, rate_per_s, rate_burst, priority_aging_per_s";

// The flow settings in columns `col` .. `col` + 3 of a row (kFlowColumns).
core::QueueFlow read_flow(Rows const& rows, int row, int col);

// Sets the flow columns `update` names on the queue's row, which exists, and makes (or drops) the
// queue's aging index when its rate changes. A changed rate limit starts the bucket full.
DbResult<void> queue_flow_update(Connection& conn, std::string const& queue, queue::QueueUpdate const& update);

// The ORDER BY of an aging queue's claim, matching its index: rank descending, then FIFO.
std::string aging_order_sql(double rate_per_s);

}  // namespace corral::postgres
