// The webhook dispatcher: sends the deliveries of the outbox (queue/outbox.hpp), on the server's
// io_context, at least once each.
//
// One loop claims due deliveries (a lease long enough for a try: until it runs out no other node
// sends them) and starts a send for each; a send POSTs the delivery's body with X-Corral-Delivery
// (the id, for receivers to deduplicate on) and X-Corral-Signature (outbound/signature.hpp), and
// reports the try's outcome (retry_rule.hpp) to the queue, which records it on the job. The loop
// sleeps until the earliest delivery left is due, at most `poll`; it wakes at once when a commit
// writes a delivery (the event's webhook flag) and when a send ends. `poll` bounds how long a
// delivery waits when the event that announces it is missed: one another node wrote and did not
// send (it died), or one whose claim ran out.
//
// A crash loses nothing: the delivery was committed with the change that ended the job, and is
// claimed again once its lease has run out (at once on the embedded backend, whose single server
// frees its old claims when it starts).
//
// Runs on one strand of the executor given to start(); the event listener, called on the
// backend's thread, only posts a wake-up to it. Thread-safe: start, stop and write_metrics.
#pragma once

#include "core/backoff.hpp"
#include "metrics/exposition.hpp"
#include "outbound/client.hpp"
#include "outbound/destination.hpp"
#include "queue/queue_service.hpp"
#include "webhooks/retry_rule.hpp"

#include "metrics/counter.hpp"
#include "metrics/labeled.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace corral::webhooks {

struct DispatcherOptions {
  std::string signing_secret;                       // empty: requests go unsigned (a warning at start)
  outbound::AllowList allow;                        // checked again at each try: the setting may have changed
  RetryRule retry;
  std::chrono::milliseconds timeout{10'000};        // one try, connect to last byte of the reply
  std::size_t per_destination = 8;                  // tries in flight to one host:port
  std::size_t max_in_flight = 256;                  // tries in flight in all
  std::chrono::milliseconds poll{5'000};
};

class Dispatcher {
 public:
  Dispatcher(queue::QueueService& queue, DispatcherOptions options);
  ~Dispatcher();

  // Listens to the queue's events and starts the loop on a strand of `executor`.
  void start(boost::asio::any_io_executor executor);
  // No more claims: the loop ends, sends in flight end with their try (a delivery left claimed is
  // tried again when its lease runs out).
  void stop();
  // corral_webhook_deliveries_total by outcome, and corral_webhook_deliveries_pending (`pending`,
  // which the caller read from the queue).
  void write_metrics(metrics::Exposition& out, std::int64_t pending) const;

 private:
  struct Impl;
  queue::QueueService& queue_;
  DispatcherOptions options_;
  // Tries by outcome; shared with the loop, whose coroutines may outlive this object a little.
  std::shared_ptr<metrics::Labeled<metrics::Counter>> outcomes_;
  std::shared_ptr<Impl> impl_;   // from start()
};

}  // namespace corral::webhooks
