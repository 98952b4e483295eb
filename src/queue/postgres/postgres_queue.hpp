// The shared backend: QueueService over one PostgreSQL database that any number of Corral nodes
// use at once. Nodes keep no state of their own but their long-polls: every rule runs in a
// transaction through core::apply, with the database's clock.
//
// Writes go through the Batcher (group commit, few statements per batch, claims with FOR UPDATE
// SKIP LOCKED); reads (get, list, queues) take a pooled connection each. Long-polls park in
// Waiters and are woken by this node's commits directly and by other nodes' through the Notifier.
// Every node runs the maintenance loop (maintenance.hpp); SKIP LOCKED and an advisory lock keep
// them from doing the same work twice.
#pragma once

#include "queue/queue_service.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace corral::postgres {

struct PostgresOptions {
  std::string url;                                   // postgres://USER[:PASSWORD]@HOST:PORT/DB[?...]
  core::JobTypeTable job_types;
  int pool_size = 10;                                // connections this node may hold
  // Write transactions this node runs at once. Requests that arrive meanwhile wait and share the
  // next one. Every batch's commit waits on the rows all batches share (the event counter, the
  // stats of the minute), so more at once mostly means smaller batches, each costing PostgreSQL
  // the same CPU: one is the fastest measured (docs/benchmarks.md).
  int batches = 1;
  std::chrono::milliseconds acquire_timeout{5000};   // then 503 storage_unavailable
  std::chrono::milliseconds statement_timeout{30000}; // a statement running longer fails (503)
  std::chrono::milliseconds sweep_interval{250};     // due times and lease expiries act within this
  queue::Retention retention;                        // ended jobs older than this are deleted; 0 keeps them
  queue::EventWindow event_window;                   // recent events kept, here and in corral_events
  std::chrono::milliseconds event_poll{250};         // the events table is read at least this often
  queue::DeliveryBody delivery_body;                 // a webhook's body (queue/outbox.hpp)
};

// Connects, migrates (safe with other nodes starting at once) and starts the maintenance loop.
// Fails with a clear message if the database cannot be reached or is newer than this binary.
core::Result<std::unique_ptr<queue::QueueService>> open_postgres_queue(PostgresOptions options);

}  // namespace corral::postgres
