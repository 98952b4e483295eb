// The shared backend's webhook outbox (queue/outbox.hpp), read and changed by the dispatcher of
// every node; the rows themselves are written by the Batch that ends a job (batch.hpp).
//
// Exactly one node sends each try: claim_deliveries locks due rows with SELECT ... FOR UPDATE
// SKIP LOCKED, one statement that both locks and reads, so each row comes back as it was locked
// (never read through a join after a locking CTE, which reads the statement's snapshot: a row
// another node claimed and committed in between would come back unclaimed). In the same
// transaction it sets their claimed_until, a lease: past it the row is due again for every node,
// so the deliveries of a node that died while sending are taken over.
#pragma once

#include "queue/outbox.hpp"
#include "queue/postgres/connection.hpp"

#include <cstdint>

namespace corral::postgres {

DbResult<queue::ClaimedDeliveries> claim_deliveries(Connection& conn, queue::DeliveryClaim const& claim);
// In one transaction: the outbox row (due again, or deleted once done with) and the job's
// webhook, if the job's last end is still the delivery's (queue::webhook_after's rule).
DbResult<void> report_delivery(Connection& conn, queue::DeliveryReport const& report);
DbResult<std::int64_t> count_deliveries(Connection& conn);

}  // namespace corral::postgres
