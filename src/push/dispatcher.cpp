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
#include <map>
#include <set>
#include <utility>

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
  // One push queue's loop and its POSTs; strand only, but for `retired`. Shared with the loop and
  // the POSTs, which may outlive its place in `lanes`.
  struct Lane {
    explicit Lane(asio::strand<asio::any_io_executor> const& strand) : timer(strand) {}
    PushQueue config;
    std::string worker_id;
    // Shared with the POSTs sent through it, so that a change of settings can replace it while they end.
    std::shared_ptr<outbound::Client> client;
    asio::steady_timer timer;   // the loop's wait for room; cancelled to wake it
    std::size_t in_flight = 0;
    // Set when the queue stops pushing; read by the loop's parked fetch (from the backend's
    // thread) before it claims.
    std::shared_ptr<std::atomic<bool>> retired = std::make_shared<std::atomic<bool>>(false);
  };
  using LanePtr = std::shared_ptr<Lane>;

  queue::QueueService& queue;
  DispatcherOptions options;
  asio::strand<asio::any_io_executor> strand;
  std::map<std::string, LanePtr> lanes;   // by queue; a retired lane stays until its loop ends
  asio::steady_timer refresh_timer;       // the wait between reads of the settings; cancelled to stop
  std::size_t follows = 0;                // follow() calls so far: a read older than one is stale
  std::map<std::string, std::string> refused;   // queue -> push_url not allowed, warned once
  bool warned_unsigned = false;
  std::shared_ptr<metrics::Labeled<metrics::Counter>> outcomes;
  std::shared_ptr<std::atomic<std::size_t>> active;   // loops, the refresh and POSTs running
  // Set by stop(), read by parked fetches (from the backend's thread) before they claim.
  std::shared_ptr<std::atomic<bool>> stopping = std::make_shared<std::atomic<bool>>(false);

  Impl(queue::QueueService& q, DispatcherOptions o, asio::any_io_executor ex,
       std::shared_ptr<metrics::Labeled<metrics::Counter>> counts, std::shared_ptr<std::atomic<std::size_t>> running)
      : queue(q), options(std::move(o)), strand(asio::make_strand(ex)), refresh_timer(strand),
        outcomes(std::move(counts)), active(std::move(running)) {}

  // Strand only: the loop re-reads its room after any wait, so a cancel that finds no wait loses nothing.
  static void wake(Lane& lane) { lane.timer.cancel(); }

  // Strand only. Makes the queue's lane push as `want` says, or stop when it is empty.
  void apply(std::string const& name, std::optional<PushQueue> want) {
    auto it = lanes.find(name);
    if (!want) {
      if (it == lanes.end() || *it->second->retired) return;
      *it->second->retired = true;
      wake(*it->second);
      spdlog::info("no longer pushing the jobs of queue {}", name);
      return;
    }
    if (it == lanes.end()) {
      auto lane = std::make_shared<Lane>(strand);
      configure(*lane, std::move(*want));
      lanes.emplace(name, lane);
      ++*active;
      asio::co_spawn(strand, [self = shared_from_this(), lane] { return self->loop(lane); }, log_unexpected);
      return;
    }
    // Its loop may still be running after a retirement: it goes on, as if never retired.
    auto& lane = *it->second;
    bool const resumed = lane.retired->exchange(false);
    if (lane.config != *want) {
      lane.client->close_idle();
      configure(lane, std::move(*want));
    } else if (resumed) {
      spdlog::info("pushing the jobs of queue {} again", name);
    } else {
      return;
    }
    wake(lane);
  }

  void configure(Lane& lane, PushQueue config) {
    spdlog::info("pushing the jobs of queue {} to {} (at most {} at once, {} ms each)", config.queue,
                 config.to.key(), config.concurrency, config.timeout.count());
    if (options.signing_secret.empty() && !std::exchange(warned_unsigned, true)) {
      spdlog::warn("signing_secret is not set: push requests are sent without X-Corral-Signature");
    }
    lane.worker_id = "push:" + config.to.key();
    lane.client = std::make_shared<outbound::Client>(
        strand, outbound::ClientOptions{config.timeout, config.concurrency, config.concurrency, 1 << 20});
    lane.config = std::move(config);
  }

  // Strand only. What `info` asks for, or nothing (warned once) when its push_url is not allowed.
  std::optional<PushQueue> wanted(queue::QueueInfo const& info) {
    auto want = push_queue_of(info, options.allow);
    if (want) {
      refused.erase(info.name);
      return std::move(*want);
    }
    if (auto& url = refused[info.name]; url != info.push.url.value_or("")) {
      url = info.push.url.value_or("");
      spdlog::warn("not pushing the jobs of queue {}: {}", info.name, want.error().message);
    }
    return std::nullopt;
  }

  // Reads every queue's settings now, then every refresh_every (or at once if a follow() made the
  // read stale), until stop().
  awaitable<void> refresh_loop() {
    while (!*stopping) {
      auto const follows_before = follows;
      auto infos = co_await queue.queues();
      if (*stopping) break;
      if (follows != follows_before) continue;
      if (infos) {
        std::set<std::string> named;
        for (auto const& info : *infos) {
          named.insert(info.name);
          apply(info.name, wanted(info));
        }
        for (auto const& [name, lane] : lanes) {
          if (!named.contains(name)) apply(name, std::nullopt);
        }
      } else {
        spdlog::warn("push dispatcher: cannot read the queues' push settings: {}", infos.error().message);
      }
      refresh_timer.expires_after(options.refresh_every);
      co_await refresh_timer.async_wait(kTuple);
    }
    --*active;
  }

  awaitable<void> loop(LanePtr lane) {
    while (!*stopping && !*lane->retired) {
      auto const room = lane->in_flight >= lane->config.concurrency ? 0 : lane->config.concurrency - lane->in_flight;
      if (room == 0) {
        lane->timer.expires_after(std::chrono::hours(1));
        co_await lane->timer.async_wait(kTuple);
        continue;
      }
      api::FetchRequest req;
      req.queues = {lane->config.queue};
      req.worker_id = lane->worker_id;
      req.count = static_cast<int>(std::min(room, kMaxFetch));
      req.wait = std::chrono::duration_cast<core::Micros>(options.fetch_wait);
      req.abandoned = [stop = stopping, retired = lane->retired] { return stop->load() || retired->load(); };
      auto jobs = co_await queue.fetch(std::move(req));
      if (!jobs) {
        if (*stopping) break;
        spdlog::warn("push dispatcher: cannot fetch from queue {}: {}", lane->config.queue, jobs.error().message);
        lane->timer.expires_after(kFetchRetry);
        co_await lane->timer.async_wait(kTuple);
        continue;
      }
      for (auto& job : *jobs) {
        if (*stopping || *lane->retired) {
          co_await give_back(job);
          continue;
        }
        ++lane->in_flight;
        ++*active;
        asio::co_spawn(strand, send(lane, lane->client, std::move(job)), log_unexpected);
      }
    }
    if (auto it = lanes.find(lane->config.queue); it != lanes.end() && it->second == lane) lanes.erase(it);
    lane->client->close_idle();
    --*active;
  }

  // A job claimed as the dispatcher stops, or its queue stops pushing: back to the queue, its
  // attempt not counted.
  awaitable<void> give_back(core::Job const& job) {
    api::ReleaseRequest release;
    release.lease_token = job.lease_token.value_or("");
    auto released = co_await queue.release(job.id, std::move(release));
    if (!released) spdlog::warn("push of job {}: cannot release it at stop: {}", job.id, released.error().message);
  }

  // `client` is the lane's as the job was claimed: the lane may change it meanwhile.
  awaitable<void> send(LanePtr lane, std::shared_ptr<outbound::Client> client, core::Job job) {
    auto const token = job.lease_token.value_or("");
    auto const config = lane->config;
    std::string body = push_body(job, options.public_url);
    outbound::Request req{config.to, body,
                          {{std::string(outbound::kDeliveryHeader), job.id + "/" + std::to_string(job.attempt)},
                           {"X-Corral-Job", job.id}}};
    if (!options.signing_secret.empty()) {
      auto const unix_s = std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
      req.headers.emplace_back(outbound::kSignatureHeader, outbound::signature(options.signing_secret, unix_s, body));
    }
    auto const reply = co_await client->post(std::move(req));
    auto verdict = judge(reply, now());
    // Counted before the report, so that whoever sees the job settled sees it counted.
    outcomes->with({config.queue, verdict.outcome()}).add(1);
    // Each report is built in a named variable, not as a temporary in the co_await expression:
    // g++ 12 destroys such temporaries twice.
    std::optional<core::Error> refused_report;
    if (verdict.kind == Verdict::Kind::complete) {
      api::CompleteRequest report;
      report.lease_token = token;
      report.result = std::move(verdict.result);
      auto done = co_await queue.complete(job.id, std::move(report));
      if (!done) refused_report = done.error();
    } else if (verdict.kind == Verdict::Kind::fail) {
      spdlog::info("push of job {} to {}: {}", job.id, config.to.key(), verdict.error.message);
      api::FailRequest report;
      report.lease_token = token;
      report.error = verdict.error;
      report.retry_in = verdict.retry_in;
      auto failed = co_await queue.fail(job.id, std::move(report));
      if (!failed) refused_report = failed.error();
    }
    // Most often the endpoint reported on the lease itself, or the lease ran out meanwhile.
    if (refused_report) spdlog::info("push of job {}: the reply's report was refused: {}", job.id, refused_report->message);
    --lane->in_flight;
    --*active;
    wake(*lane);
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
  ++*active_;
  asio::co_spawn(impl_->strand, [self = impl_]() { return self->refresh_loop(); }, log_unexpected);
}

asio::awaitable<void> Dispatcher::follow(queue::QueueInfo info) {
  auto self = impl_;
  if (!self) co_return;
  // Named, not a temporary in the co_await expression: g++ 12 destroys such temporaries twice.
  auto on_strand = [self, info = std::move(info)]() -> awaitable<void> {
    if (*self->stopping) co_return;
    ++self->follows;
    self->apply(info.name, self->wanted(info));
    co_return;
  };
  auto applied = asio::co_spawn(self->strand, std::move(on_strand), asio::use_awaitable);
  co_await std::move(applied);
}

void Dispatcher::stop() {
  if (!impl_) return;
  *impl_->stopping = true;
  asio::post(impl_->strand, [self = impl_] {
    self->refresh_timer.cancel();
    for (auto& [name, lane] : self->lanes) self->wake(*lane);
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
