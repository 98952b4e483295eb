#include "queue/event_log.hpp"

#include <algorithm>

namespace corral::queue {

EventLog::EventLog(EventWindow window) : window_(window) {}

std::size_t EventLog::bytes_of(core::JobEvent const& e) {
  auto const opt = [](std::optional<std::string> const& s) { return s ? s->size() : 0; };
  std::size_t n = sizeof(core::JobEvent) + e.job_id.size() + e.queue.size() + e.type.size() + opt(e.owner) +
                  opt(e.worker_id) + e.trace_id.size() + opt(e.result);
  if (e.error) n += e.error->code.size() + e.error->message.size();
  if (e.progress) n += opt(e.progress->stage) + opt(e.progress->message);
  return n;
}

void EventLog::start_after(std::int64_t seq) {
  std::lock_guard lock(mutex_);
  if (!events_.empty() || seq <= last_) return;
  floor_ = last_ = seq;
}

void EventLog::append(std::vector<core::JobEvent> events) {
  std::vector<EventPtr> added;
  added.reserve(events.size());
  std::shared_ptr<std::vector<Listener> const> listeners;
  std::shared_ptr<std::vector<BatchListener> const> batch_listeners;
  {
    std::lock_guard lock(mutex_);
    for (auto& e : events) {
      if (e.seq <= last_) continue;
      auto ptr = std::make_shared<core::JobEvent const>(std::move(e));
      last_ = ptr->seq;
      bytes_ += bytes_of(*ptr);
      events_.push_back(ptr);
      added.push_back(std::move(ptr));
    }
    while (!events_.empty() && (events_.size() > window_.max_events || bytes_ > window_.max_bytes)) {
      bytes_ -= bytes_of(*events_.front());
      floor_ = events_.front()->seq;
      events_.pop_front();
    }
    if (!added.empty()) {
      listeners = listeners_;
      batch_listeners = batch_listeners_;
    }
  }
  if (added.empty()) return;
  waiters_.notify(kWaitKey);
  for (auto const& e : added) {
    for (auto const& l : *listeners) l(*e);
  }
  for (auto const& l : *batch_listeners) l(added);
}

void EventLog::subscribe(std::function<void(core::JobEvent const&)> listener) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<Listener>>(*listeners_);
  next->push_back(std::move(listener));
  listeners_ = std::move(next);
}

void EventLog::subscribe_batch(std::function<void(std::span<EventPtr const>)> listener) {
  std::lock_guard lock(mutex_);
  auto next = std::make_shared<std::vector<BatchListener>>(*batch_listeners_);
  next->push_back(std::move(listener));
  batch_listeners_ = std::move(next);
}

EventLog::Page EventLog::read_after(std::int64_t after, std::size_t max) const {
  std::lock_guard lock(mutex_);
  Page page;
  // A position before the window, or after the last event (from another database, say), cannot be
  // resumed: the reader hears so and goes on from the oldest event kept.
  if (after < floor_ || after > last_) {
    page.gap = true;
    after = floor_;
  }
  auto it = std::upper_bound(events_.begin(), events_.end(), after,
                             [](std::int64_t seq, EventPtr const& e) { return seq < e->seq; });
  for (; it != events_.end() && page.events.size() < max; ++it) page.events.push_back(*it);
  return page;
}

std::int64_t EventLog::last_seq() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::size_t EventLog::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace corral::queue
