#include "push/dispatcher.hpp"

#include "outbound/client.hpp"
#include "outbound/signature.hpp"
#include "push/push_body.hpp"
#include "push/verdict.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace corral::push {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// After a failed fetch (the database is down), before the next.
constexpr auto kFetchRetry = std::chrono::seconds(1);
// The most jobs one fetch may claim (the API's own limit).
constexpr std::size_t kMaxFetch = 100;

void log_unexpected(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (std::exception const& ex) {
    spdlog::error("push dispatcher: unexpected exception: {}", ex.what());
  }
}

core::TimePoint now() { return std::chrono::floor<core::Micros>(std::chrono::system_clock::now()); }

}  // namespace

struct Dispatcher::Impl : std::enable_shared_from_this<Impl> {
  // One push queue's loop and its POSTs; strand only.
  struct Lane {
    PushQueue config;
    std::string worker_id;
    std::unique_ptr<outbound::Client> client;
    std::unique_ptr<asio::steady_timer> timer;   // the loop's wait for room; cancelled to wake it
    std::size_t in_flight = 0;
  };

  queue::QueueService& queue;
  DispatcherOptions options;
  asio::strand<asio::any_io_executor> strand;
  std::vector<std::unique_ptr<Lane>> lanes;
  std::shared_ptr<metrics::Labeled<metrics::Counter>> outcomes;
  std::shared_ptr<std::atomic<std::size_t>> active;   // loops and POSTs running
  // Set by stop(), read by parked fetches (from the backend's thread) before they claim.
  std::shared_ptr<std::atomic<bool>> stopping = std::make_shared<std::atomic<bool>>(false);

  Impl(queue::QueueService& q, DispatcherOptions o, asio::any_io_executor ex,
       std::shared_ptr<metrics::Labeled<metrics::Counter>> counts, std::shared_ptr<std::atomic<std::size_t>> running)
      : queue(q), options(std::move(o)), strand(asio::make_strand(ex)), outcomes(std::move(counts)),
        active(std::move(running)) {
    for (auto const& config : options.queues) {
      auto lane = std::make_unique<Lane>();
      lane->config = config;
      lane->worker_id = "push:" + config.to.key();
      lane->client = std::make_unique<outbound::Client>(
          strand, outbound::ClientOptions{config.timeout, config.concurrency, config.concurrency, 1 << 20});
      lane->timer = std::make_unique<asio::steady_timer>(strand);
      lanes.push_back(std::move(lane));
    }
  }

  // Strand only: the loop re-reads its room after any wait, so a cancel that finds no wait loses nothing.
  void wake(Lane& lane) { lane.timer->cancel(); }

  awaitable<void> loop(Lane& lane) {
    while (!*stopping) {
      auto const room = lane.config.concurrency - lane.in_flight;
      if (room == 0) {
        lane.timer->expires_after(std::chrono::hours(1));
        co_await lane.timer->async_wait(kTuple);
        continue;
      }
      api::FetchRequest req;
      req.queues = {lane.config.queue};
      req.worker_id = lane.worker_id;
      req.count = static_cast<int>(std::min(room, kMaxFetch));
      req.wait = std::chrono::duration_cast<core::Micros>(options.fetch_wait);
      req.abandoned = [flag = stopping] { return flag->load(); };
      auto jobs = co_await queue.fetch(std::move(req));
      if (!jobs) {
        if (*stopping) break;
        spdlog::warn("push dispatcher: cannot fetch from queue {}: {}", lane.config.queue, jobs.error().message);
        lane.timer->expires_after(kFetchRetry);
        co_await lane.timer->async_wait(kTuple);
        continue;
      }
      for (auto& job : *jobs) {
        if (*stopping) {
          co_await give_back(job);
          continue;
        }
        ++lane.in_flight;
        ++*active;
        asio::co_spawn(strand, send(lane, std::move(job)), log_unexpected);
      }
    }
    lane.client->close_idle();
    --*active;
  }

  // A job claimed as the dispatcher stops: back to the queue, its attempt not counted.
  awaitable<void> give_back(core::Job const& job) {
    api::ReleaseRequest release;
    release.lease_token = job.lease_token.value_or("");
    auto released = co_await queue.release(job.id, std::move(release));
    if (!released) spdlog::warn("push of job {}: cannot release it at stop: {}", job.id, released.error().message);
  }

  awaitable<void> send(Lane& lane, core::Job job) {
    auto const token = job.lease_token.value_or("");
    std::string body = push_body(job, options.public_url);
    outbound::Request req{lane.config.to, body,
                          {{std::string(outbound::kDeliveryHeader), job.id + "/" + std::to_string(job.attempt)},
                           {"X-Corral-Job", job.id}}};
    if (!options.signing_secret.empty()) {
      auto const unix_s = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
      req.headers.emplace_back(outbound::kSignatureHeader, outbound::signature(options.signing_secret, unix_s, body));
    }
    auto const reply = co_await lane.client->post(std::move(req));
    auto verdict = judge(reply, now());
    // Counted before the report, so that whoever sees the job settled sees it counted.
    outcomes->with({lane.config.queue, verdict.outcome()}).add(1);
    // Each report is built in a named variable, not as a temporary in the co_await expression:
    // g++ 12 destroys such temporaries twice.
    std::optional<core::Error> refused;
    if (verdict.kind == Verdict::Kind::complete) {
      api::CompleteRequest report;
      report.lease_token = token;
      report.result = std::move(verdict.result);
      auto done = co_await queue.complete(job.id, std::move(report));
      if (!done) refused = done.error();
    } else if (verdict.kind == Verdict::Kind::fail) {
      spdlog::info("push of job {} to {}: {}", job.id, lane.config.to.key(), verdict.error.message);
      api::FailRequest report;
      report.lease_token = token;
      report.error = verdict.error;
      report.retry_in = verdict.retry_in;
      auto failed = co_await queue.fail(job.id, std::move(report));
      if (!failed) refused = failed.error();
    }
    // Most often the endpoint reported on the lease itself, or the lease ran out meanwhile.
    if (refused) spdlog::info("push of job {}: the reply's report was refused: {}", job.id, refused->message);
    --lane.in_flight;
    --*active;
    wake(lane);
  }
};

Dispatcher::Dispatcher(queue::QueueService& queue, DispatcherOptions options)
    : queue_(queue),
      options_(std::move(options)),
      outcomes_(std::make_shared<metrics::Labeled<metrics::Counter>>(std::vector<std::string>{"queue", "outcome"})),
      active_(std::make_shared<std::atomic<std::size_t>>(0)) {}

Dispatcher::~Dispatcher() {
  if (impl_) *impl_->stopping = true;
}

void Dispatcher::start(asio::any_io_executor executor) {
  impl_ = std::make_shared<Impl>(queue_, options_, std::move(executor), outcomes_, active_);
  if (options_.signing_secret.empty() && !options_.queues.empty()) {
    spdlog::warn("signing_secret is not set: push requests are sent without X-Corral-Signature");
  }
  for (auto& lane : impl_->lanes) {
    spdlog::info("pushing the jobs of queue {} to {}", lane->config.queue, lane->config.to.key());
    ++*active_;
    asio::co_spawn(impl_->strand, [self = impl_, l = lane.get()]() { return self->loop(*l); }, log_unexpected);
  }
}

void Dispatcher::stop() {
  if (!impl_) return;
  *impl_->stopping = true;
  asio::post(impl_->strand, [self = impl_] {
    for (auto& lane : self->lanes) self->wake(*lane);
  });
}

bool Dispatcher::busy() const { return *active_ > 0; }

void Dispatcher::write_metrics(metrics::Exposition& out) const {
  out.counters("corral_push_requests_total",
               "POSTs to push endpoints by queue and outcome: completed, accepted (202), rejected (failed for good), "
               "failed (to be retried)",
               *outcomes_);
}

}  // namespace corral::push
