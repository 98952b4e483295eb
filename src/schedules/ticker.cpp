#include "schedules/ticker.hpp"

#include "schedules/job_body.hpp"
#include "wire/time_format.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace corral::schedules {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// After a failed run (the database is down), before the next.
constexpr auto kRunRetry = std::chrono::seconds(1);

void log_unexpected(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (std::exception const& ex) {
    spdlog::error("schedule ticker: unexpected exception: {}", ex.what());
  }
}

void log_tick(queue::ScheduleTick const& t) {
  auto const when = wire::format_rfc3339(t.tick);
  // The job's own enqueue line follows each tick that made one: a tick says more only at debug.
  if (t.job_id) spdlog::debug("schedule {}: tick {} enqueued job {}", t.schedule, when, *t.job_id);
  else if (t.error) spdlog::warn("schedule {}: tick {} enqueued nothing: {}", t.schedule, when, *t.error);
  else spdlog::info("schedule {}: tick {} skipped (overlap skip, or missed while down)", t.schedule, when);
}

}  // namespace

struct Ticker::Impl : std::enable_shared_from_this<Impl> {
  queue::QueueService& queue;
  TickerOptions options;
  asio::strand<asio::any_io_executor> strand;
  std::unique_ptr<asio::steady_timer> timer;   // the loop's sleep; cancelled to wake it
  bool woken = false;                          // strand only: a wake-up came while the loop ran
  bool stopping = false;                       // strand only

  Impl(queue::QueueService& q, TickerOptions o, asio::any_io_executor ex)
      : queue(q), options(o), strand(asio::make_strand(ex)) {}

  void wake() {
    asio::post(strand, [self = shared_from_this()] {
      self->woken = true;
      if (self->timer) self->timer->cancel();
    });
  }

  awaitable<void> loop() {
    timer = std::make_unique<asio::steady_timer>(strand);
    queue::ScheduleRunRequest const req{parse_job_text, options.batch};
    while (!stopping) {
      woken = false;
      std::chrono::steady_clock::duration sleep = options.max_sleep;
      auto ran = co_await queue.run_due_schedules(req);
      if (!ran) {
        spdlog::warn("schedule ticker: {}", ran.error().message);
        sleep = kRunRetry;
      } else {
        for (auto const& t : ran->ticks) log_tick(t);
        if (ran->ticks.size() >= options.batch) continue;   // more are due
        if (ran->next_due) {
          sleep = std::clamp<std::chrono::steady_clock::duration>(*ran->next_due - ran->now,
                                                                  std::chrono::steady_clock::duration::zero(), sleep);
        }
      }
      if (woken || stopping) continue;
      timer->expires_after(sleep);
      co_await timer->async_wait(kTuple);
    }
  }
};

Ticker::Ticker(queue::QueueService& queue, TickerOptions options) : queue_(queue), options_(options) {}

Ticker::~Ticker() = default;

void Ticker::start(asio::any_io_executor executor) {
  impl_ = std::make_shared<Impl>(queue_, options_, std::move(executor));
  asio::co_spawn(impl_->strand, [self = impl_]() { return self->loop(); }, log_unexpected);
}

void Ticker::stop() {
  if (!impl_) return;
  asio::post(impl_->strand, [self = impl_] {
    self->stopping = true;
    if (self->timer) self->timer->cancel();
  });
}

void Ticker::wake() {
  if (impl_) impl_->wake();
}

}  // namespace corral::schedules
