#include "queue/postgres/event_tail.hpp"

#include "queue/stored_event.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace corral::postgres {
namespace {

// Rows read per statement: a node that fell behind catches up in pages.
constexpr int kPage = 1000;

}  // namespace

std::string const& events_after_sql() {
  static std::string const sql =
      "SELECT seq, node, body FROM corral_events WHERE seq > $1 ORDER BY seq LIMIT " + std::to_string(kPage);
  return sql;
}

bool plan_event_reads(Connection& conn) {
  // The primary key in order is the plan for every read, made once. Left to the planner, the read
  // was planned again at most calls (about 50 µs of PostgreSQL's CPU each, some 5 % of a one-job
  // drain's), and in some runs cost 7 to 28 times its usual 13 µs for the same rows, which runs
  // with the plan pinned never did (docs/benchmarks.md, 2026-12-07).
  for (auto const* setting : {"SET enable_seqscan = off", "SET enable_bitmapscan = off",
                              "SET plan_cache_mode = force_generic_plan"}) {
    if (!conn.exec(setting)) return false;
  }
  return true;
}

EventTail::EventTail(std::string url, std::string node, queue::EventLog& log, std::size_t window,
                     std::chrono::milliseconds poll)
    : url_(std::move(url)), node_(std::move(node)), log_(log), window_(window), poll_(poll) {}

EventTail::~EventTail() { stop(); }

bool EventTail::connect() {
  auto c = Connection::open(url_, 30'000);
  if (!c) return false;
  if (!plan_event_reads(**c)) return false;
  conn_ = std::move(*c);
  return true;
}

core::Result<void> EventTail::start() {
  if (!connect()) return core::make_error(core::Errc::storage_unavailable, "cannot connect to read events");
  auto last = conn_->query("SELECT last FROM corral_event_seq WHERE id = 1", {});
  if (!last) return last.error().error;
  std::int64_t const newest = last->size() > 0 ? last->int64(0, 0) : 0;
  // The window starts `window` events back (or at the first kept): read_new() fills it.
  auto oldest = conn_->query("SELECT coalesce(min(seq), $1::bigint + 1) FROM corral_events WHERE seq > $1",
                             {std::to_string(std::max<std::int64_t>(0, newest - static_cast<std::int64_t>(window_)))});
  if (!oldest) return oldest.error().error;
  after_ = oldest->int64(0, 0) - 1;
  log_.start_after(after_);
  if (!read_new()) return core::make_error(core::Errc::storage_unavailable, "cannot read events");
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "corral-events");   // named in top, perf and /proc
    run();
  });
  return {};
}

void EventTail::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  cv_.notify_one();
}

void EventTail::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool EventTail::read_new() {
  for (;;) {
    auto rows = conn_->query("corral_events_after", events_after_sql(), {std::to_string(after_)});
    if (!rows) {
      spdlog::warn("reading events: {}", rows.error().error.message);
      return false;
    }
    std::vector<core::JobEvent> events;
    events.reserve(static_cast<std::size_t>(rows->size()));
    for (int i = 0; i < rows->size(); ++i) {
      after_ = rows->int64(i, 0);
      auto e = queue::parse_stored_event(rows->text(i, 2));
      if (!e) {
        spdlog::error("event {} is unreadable and is skipped: {}", rows->int64(i, 0), e.error().message);
        continue;
      }
      e->seq = rows->int64(i, 0);
      e->local = rows->text(i, 1) == node_;
      events.push_back(std::move(*e));
    }
    log_.append(std::move(events));
    if (rows->size() < kPage) return true;
  }
}

void EventTail::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, poll_, [this] { return nudged_ || stop_; });
      if (stop_) return;
      nudged_ = false;
    }
    if ((!conn_ || !conn_->healthy()) && !connect()) continue;
    if (!read_new()) conn_.reset();
  }
}

}  // namespace corral::postgres
