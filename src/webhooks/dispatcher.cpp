#include "webhooks/dispatcher.hpp"

#include "outbound/signature.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <random>

namespace corral::webhooks {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Kept longer than a try can take, so that no other node claims a delivery while it is sent.
constexpr auto kLeaseMargin = std::chrono::seconds(5);
// After a failed claim (the database is down), before the next.
constexpr auto kClaimRetry = std::chrono::seconds(1);

void log_unexpected(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (std::exception const& ex) {
    spdlog::error("webhook dispatcher: unexpected exception: {}", ex.what());
  }
}

}  // namespace

struct Dispatcher::Impl : std::enable_shared_from_this<Impl> {
  queue::QueueService& queue;
  DispatcherOptions options;
  asio::strand<asio::any_io_executor> strand;
  std::unique_ptr<outbound::Client> client;    // made on start: it lives on the strand
  std::unique_ptr<asio::steady_timer> timer;   // the loop's sleep; cancelled to wake it
  bool woken = false;                          // strand only: a wake-up came while the loop was busy
  bool stopping = false;                       // strand only
  std::size_t in_flight = 0;                   // strand only
  std::mt19937_64 rng{std::random_device{}()};  // strand only
  std::shared_ptr<metrics::Labeled<metrics::Counter>> outcomes;
  std::atomic<bool> listening{true};            // cleared by stop(), before the executor goes

  Impl(queue::QueueService& q, DispatcherOptions o, asio::any_io_executor ex,
       std::shared_ptr<metrics::Labeled<metrics::Counter>> counts)
      : queue(q), options(std::move(o)), strand(asio::make_strand(ex)), outcomes(std::move(counts)) {}

  // From any thread.
  void wake() {
    if (!listening) return;
    asio::post(strand, [self = shared_from_this()] {
      self->woken = true;
      if (self->timer) self->timer->cancel();
    });
  }

  awaitable<void> loop() {
    timer = std::make_unique<asio::steady_timer>(strand);
    client = std::make_unique<outbound::Client>(
        strand, outbound::ClientOptions{options.timeout, options.per_destination, options.per_destination, 1 << 20});
    auto const lease = std::chrono::duration_cast<core::Micros>(options.timeout + kLeaseMargin);
    while (!stopping) {
      woken = false;
      auto sleep = std::chrono::duration_cast<std::chrono::steady_clock::duration>(options.poll);
      if (in_flight < options.max_in_flight) {
        auto const room = options.max_in_flight - in_flight;
        auto claimed = co_await queue.claim_deliveries(queue::DeliveryClaim{std::min<std::size_t>(room, 64), lease});
        if (!claimed) {
          spdlog::warn("webhook dispatcher: cannot claim deliveries: {}", claimed.error().message);
          sleep = kClaimRetry;
        } else {
          for (auto& d : claimed->due) {
            ++in_flight;
            asio::co_spawn(strand, send(std::move(d), claimed->now), log_unexpected);
          }
          if (claimed->next_due) {
            sleep = std::clamp<std::chrono::steady_clock::duration>(*claimed->next_due - claimed->now,
                                                                    std::chrono::steady_clock::duration::zero(), sleep);
          }
        }
      }
      if (woken || stopping) continue;
      timer->expires_after(sleep);
      co_await timer->async_wait(kTuple);
    }
    client->close_idle();
  }

  awaitable<void> send(queue::Delivery d, core::TimePoint claimed_at) {
    auto const began = std::chrono::steady_clock::now();
    TryOutcome outcome;
    auto to = outbound::allowed_destination("callback_url", d.url, options.allow);
    if (!to) {
      outcome = {to.error().message, true};
    } else {
      outbound::Request req{std::move(*to), d.body, {{std::string(outbound::kDeliveryHeader), d.id}}};
      if (!options.signing_secret.empty()) {
        auto const unix_s = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch()).count();
        req.headers.emplace_back(outbound::kSignatureHeader, outbound::signature(options.signing_secret, unix_s, d.body));
      }
      auto reply = co_await client->post(std::move(req));
      if (reply.status < 200 || reply.status > 299) {
        outcome.error = reply.status == 0 ? reply.error : "HTTP " + std::to_string(reply.status);
      }
    }
    // The backend's clock, as the claim read it, moved on by the time the try took.
    auto const now = claimed_at + std::chrono::duration_cast<core::Micros>(std::chrono::steady_clock::now() - began);
    double const draw = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    auto report = after_try(d, outcome, now, options.retry, draw);
    auto const state = report.state;
    if (outcome.error) {
      spdlog::info("webhook {} of job {} to {}: try {} failed: {}{}", d.id, d.job_id, d.url, report.attempts,
                   *outcome.error, state == core::WebhookState::failed ? "; given up" : "");
    }
    if (auto r = co_await queue.report_delivery(std::move(report)); !r) {
      // Its claim runs out and it is tried again: at least once, never lost.
      spdlog::warn("webhook {} of job {}: cannot record the try: {}", d.id, d.job_id, r.error().message);
    }
    outcomes->with({state == core::WebhookState::delivered ? "delivered"
                   : state == core::WebhookState::failed  ? "failed"
                                                          : "retried"}).add(1);
    --in_flight;
    woken = true;
    timer->cancel();
  }
};

Dispatcher::Dispatcher(queue::QueueService& queue, DispatcherOptions options)
    : queue_(queue),
      options_(std::move(options)),
      outcomes_(std::make_shared<metrics::Labeled<metrics::Counter>>(std::vector<std::string>{"outcome"})) {}

Dispatcher::~Dispatcher() {
  if (impl_) impl_->listening = false;
}

void Dispatcher::start(asio::any_io_executor executor) {
  impl_ = std::make_shared<Impl>(queue_, options_, std::move(executor), outcomes_);
  if (options_.signing_secret.empty()) {
    spdlog::warn("signing_secret is not set: webhooks are sent without X-Corral-Signature");
  }
  std::weak_ptr<Impl> weak = impl_;
  impl_->queue.events().subscribe([weak](core::JobEvent const& e) {
    if (!e.webhook) return;
    if (auto self = weak.lock()) self->wake();
  });
  asio::co_spawn(impl_->strand, [self = impl_]() { return self->loop(); }, log_unexpected);
}

void Dispatcher::stop() {
  if (!impl_) return;
  impl_->listening = false;
  asio::post(impl_->strand, [self = impl_] {
    self->stopping = true;
    if (self->timer) self->timer->cancel();
  });
}

void Dispatcher::write_metrics(metrics::Exposition& out, std::int64_t pending) const {
  out.counters("corral_webhook_deliveries_total",
               "Webhook tries by outcome: delivered, retried (to be tried again), failed (given up)", *outcomes_);
  out.gauge("corral_webhook_deliveries_pending", "Webhook deliveries not yet delivered or given up",
            static_cast<double>(pending));
}

}  // namespace corral::webhooks
