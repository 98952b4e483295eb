// The push dispatcher: delivers the jobs of each queue that sets push_url by POSTing them to that
// endpoint, on the server's io_context, as a worker would run them.
//
// One loop per push queue claims its jobs through the normal fetch (a lease of the job's
// timeout_s, worker id "push:HOST:PORT" of the endpoint), so attempts, events, expiry and retries
// are those of any worker. The loop long-polls the queue (the waiters of queue/waiters.hpp wake
// it when work commits) for at most as many jobs as the queue has room for under
// push_concurrency, and waits for a POST to end when it has none: no loop spins. Each job is
// POSTed (push_body.hpp) with X-Corral-Signature, X-Corral-Delivery (JOB_ID/ATTEMPT: the same for
// a resend of one attempt, new for the next) and X-Corral-Job; the reply is judged
// (verdict.hpp) and reported on the lease with complete or fail, or left to the endpoint after
// a 202.
//
// Queues are limited each on their own: two queues with the same push_url may have the sum of
// their push_concurrency in flight to it. So are nodes: each node sharing a PostgreSQL database
// pushes with its own limit.
//
// Shutdown: stop() ends the claims (a fetch parked when the queue shuts down returns at once, and
// a job it returns anyway is released); POSTs in flight keep their timeout for as long as the
// server drains (busy() holds the drain, until the loops have ended too: a fetch still parked in
// the queue when the server's io_context goes would complete on a destroyed executor), and are
// reported as usual. A POST still open when the server stops leaves its job to lease expiry,
// recovered as for any worker that died.
//
// Runs on one strand of the executor given to start(). Thread-safe: start, stop, busy and
// write_metrics.
#pragma once

#include "metrics/counter.hpp"
#include "metrics/exposition.hpp"
#include "metrics/labeled.hpp"
#include "outbound/destination.hpp"
#include "queue/queue_service.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace corral::push {

struct PushQueue {
  std::string queue;
  outbound::Destination to;            // the queue's push_url, parsed and allowed
  std::size_t concurrency = 8;         // POSTs in flight at once
  std::chrono::milliseconds timeout{30'000};   // one POST, connect to the reply's last byte
};

struct DispatcherOptions {
  std::vector<PushQueue> queues;
  std::string signing_secret;          // empty: unsigned (a warning at start)
  std::string public_url;              // base of the report URLs; empty: they are null
  std::chrono::milliseconds fetch_wait{30'000};   // one long-poll for work
};

class Dispatcher {
 public:
  Dispatcher(queue::QueueService& queue, DispatcherOptions options);
  ~Dispatcher();

  // Starts one loop per push queue on a strand of `executor`.
  void start(boost::asio::any_io_executor executor);
  // No more claims; POSTs in flight end with their reply or their timeout.
  void stop();
  // True while a loop or a POST is running: the server's drain waits for neither.
  bool busy() const;
  // corral_push_requests_total by queue and outcome.
  void write_metrics(metrics::Exposition& out) const;

 private:
  struct Impl;
  queue::QueueService& queue_;
  DispatcherOptions options_;
  // Shared with the loops, whose coroutines may outlive this object a little.
  std::shared_ptr<metrics::Labeled<metrics::Counter>> outcomes_;
  // Loops and POSTs running.
  std::shared_ptr<std::atomic<std::size_t>> active_;
  std::shared_ptr<Impl> impl_;   // from start()
};

}  // namespace corral::push
