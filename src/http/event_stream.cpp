#include "http/event_stream.hpp"

#include "wire/event_json.hpp"
#include "wire/job_json.hpp"
#include "wire/json_text.hpp"
#include "wire/queue_json.hpp"
#include "wire/time_format.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>
#include <spdlog/spdlog.h>

namespace corral::http {

using boost::asio::awaitable;

namespace {

// Events read from the log at once; a piece may hold fewer (kPieceBytes).
constexpr std::size_t kPageEvents = 256;
constexpr auto kStatsInterval = std::chrono::seconds(1);
// How often an idle stream looks whether its client has hung up.
constexpr auto kHangupCheck = std::chrono::seconds(1);

core::TimePoint wall_now() {
  return std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
}

// The `gap` message of a resume from `asked`, whose events have left the window.
std::string gap_message(std::int64_t asked, std::optional<std::int64_t> oldest_kept) {
  boost::json::object gap;
  gap["last_event_id"] = asked;
  auto const after = "events after " + std::to_string(asked) + " are no longer kept";
  if (oldest_kept) {
    gap["oldest_kept"] = *oldest_kept;
    gap["message"] = after + "; the oldest kept is " + std::to_string(*oldest_kept) + ", and the stream continues from it";
  } else {
    gap["oldest_kept"] = nullptr;
    gap["message"] = after + ", and none is kept now; the stream continues with new events";
  }
  std::string out;
  wire::append_sse_message(out, std::nullopt, "gap", wire::serialize_json(gap));
  return out;
}

// The `stats` message: the time and every queue's counts by state, as GET /api/v1/queues has them.
std::string stats_text(core::Result<std::vector<queue::QueueInfo>> const& queues) {
  boost::json::object stats;
  stats["at"] = wire::format_rfc3339(wall_now());
  if (queues) {
    boost::json::array list;
    for (auto const& q : *queues) list.push_back(wire::to_queue_json(q));
    stats["queues"] = std::move(list);
  } else {
    stats["error"] = wire::to_json(queues.error()).at("error");
  }
  std::string out;
  wire::append_sse_message(out, std::nullopt, "stats", wire::serialize_json(stats));
  return out;
}

std::string keepalive_comment() {
  std::string out;
  wire::append_sse_comment(out, "keep-alive");
  return out;
}

}  // namespace

EventStream::EventStream(queue::QueueService& queue, Admission* admission, Gate::Pass place,
                         std::chrono::milliseconds keepalive, std::function<bool()> client_gone,
                         EventStreamStart start)
    : queue_(queue),
      admission_(admission),
      place_(std::move(place)),
      keepalive_(keepalive),
      client_gone_(std::move(client_gone)),
      start_(std::move(start)),
      position_(start_.position),
      resuming_(start_.resuming),
      ended_(start_.ended) {}

awaitable<std::optional<std::string>> EventStream::next() {
  if (!start_.first.empty()) {
    last_sent_ = Clock::now();
    co_return std::exchange(start_.first, {});
  }
  while (!ended_) {
    if (client_gone_ && client_gone_()) {
      aborted_ = true;
      break;
    }
    auto const last_before = queue_.events().last_seq();
    // A position this node's log has not read yet, but which was committed (a new stream starts
    // at the deployment's newest commit; a resumed one may come from another node): waited for.
    if (position_ <= last_before || position_ > start_.committed) {
      auto page = queue_.events().read_after(position_, 0);
      std::string out;
      if (page.gap) {
        if (!resuming_) {
          drop();
          break;
        }
        auto oldest = queue_.events().read_after(position_, 1);
        std::optional<std::int64_t> oldest_kept;
        if (!oldest.events.empty()) oldest_kept = oldest.events.front()->seq;
        out = co_await gap_messages(oldest_kept);
        position_ = oldest_kept ? *oldest_kept - 1 : last_before;
      }
      resuming_ = false;
      bool more = false;
      if (!ended_) out += read_events(more);
      if (!out.empty()) {
        last_sent_ = Clock::now();
        co_return out;
      }
      if (more) continue;
    }
    if (!co_await wait_for_events()) break;
    auto const now = Clock::now();
    if (start_.query.stats && now >= next_stats_) {
      next_stats_ = now + kStatsInterval;
      last_sent_ = now;
      co_return co_await stats_message();
    }
    if (now - last_sent_ >= keepalive_) {
      last_sent_ = now;
      co_return keepalive_comment();
    }
  }
  co_return std::nullopt;
}

std::string EventStream::read_events(bool& more) {
  auto page = queue_.events().read_after(position_, kPageEvents);
  more = page.events.size() == kPageEvents;
  std::string out;
  for (auto const& e : page.events) {
    position_ = e->seq;
    if (!start_.query.filter.matches(*e)) continue;
    wire::append_sse_event(out, *e);
    if (start_.query.filter.job_id && core::ends_job(*e)) {
      ended_ = true;
      break;
    }
    if (out.size() >= kPieceBytes) {
      more = true;
      break;
    }
  }
  return out;
}

awaitable<std::string> EventStream::gap_messages(std::optional<std::int64_t> oldest_kept) {
  auto out = gap_message(position_, oldest_kept);
  // One job's stream cannot tell from the events kept what became of the job meanwhile: show it.
  if (auto const& id = start_.query.filter.job_id) {
    auto job = co_await queue_.get(*id, core::Micros(0));
    if (job) {
      wire::append_sse_message(out, std::nullopt, "job", wire::to_json_text(*job));
      if (core::is_terminal(job->status)) ended_ = true;
    } else {
      ended_ = true;   // deleted, and its deletion has left the window too
    }
  }
  co_return out;
}

awaitable<std::string> EventStream::stats_message() {
  auto queues = co_await queue_.queues();
  co_return stats_text(queues);
}

awaitable<bool> EventStream::wait_for_events() {
  auto& waiters = queue_.events().waiters();
  // Not in one expression: g++ 12 cannot keep an initializer list's array across a co_await.
  auto const executor = co_await boost::asio::this_coro::executor;
  auto registration = waiters.add({std::string(queue::EventLog::kWaitKey)}, executor);
  // Every append wakes every stream: a wake is never passed on to another.
  registration.consumed();
  if (waiters.closed()) co_return false;
  if (queue_.events().last_seq() > position_) co_return true;   // appended since the last read
  auto deadline = std::min(last_sent_ + keepalive_, Clock::now() + kHangupCheck);
  if (start_.query.stats) deadline = std::min(deadline, next_stats_);
  co_await registration.wait(deadline);
  co_return !waiters.closed();
}

void EventStream::drop() {
  aborted_ = true;
  if (admission_) ++admission_->streams_dropped;
  spdlog::info("event stream closed at event {}: its consumer did not read while the event window moved on",
               position_);
}

}  // namespace corral::http
