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
// Which queues push, and how, is what the queues' stored settings say (push_url, push_concurrency,
// push_timeout_s: PATCH /api/v1/queues/{name}, or the config file written at start), followed
// without a restart. A PATCH on this node is followed before its reply (follow()); a change made
// on another node sharing the database, by a re-read of every queue's settings every
// refresh_every. Rejected: a queue-settings event on the event stream, which would have made the
// stream carry a kind of event that is not a job's. A queue that gains a push_url gets a loop; one
// whose push_url is cleared has its loop end (its parked fetch claims nothing more; POSTs in
// flight end and are reported as at shutdown); a changed URL, concurrency or timeout applies to
// the next claims. A stored push_url the allow-list no longer allows is not followed (a warning).
//
// Runs on one strand of the executor given to start(). Thread-safe: start, stop, follow, busy and
// write_metrics.
#pragma once

#include "metrics/counter.hpp"
#include "metrics/exposition.hpp"
#include "metrics/labeled.hpp"
#include "outbound/destination.hpp"
#include "push/push_queue.hpp"
#include "queue/queue_service.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

namespace corral::push {

struct DispatcherOptions {
  outbound::AllowList allow;           // the push_urls that may be followed (webhook_allowed_hosts)
  std::string signing_secret;          // empty: unsigned (a warning when a queue first pushes)
  std::string public_url;              // base of the report URLs; empty: they are null
  std::chrono::milliseconds fetch_wait{30'000};   // one long-poll for work
  // How often every queue's push settings are read again: how late a change made on another node
  // is followed.
  std::chrono::milliseconds refresh_every{3'000};
};

class Dispatcher {
 public:
  Dispatcher(queue::QueueService& queue, DispatcherOptions options);
  ~Dispatcher();

  // Reads the queues' push settings and starts one loop per push queue on a strand of
  // `executor`, then follows their changes.
  void start(boost::asio::any_io_executor executor);
  // Follows `info`'s push settings, as a PATCH on this node has just committed them; returns once
  // they apply, so that a job enqueued after is pushed, or not, by them. Nothing before start().
  boost::asio::awaitable<void> follow(queue::QueueInfo info);
  // No more claims; POSTs in flight end with their reply or their timeout.
  void stop();
  // True while a loop, the settings' refresh or a POST is running: the server's drain waits for them.
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
