#include "queue/waiters.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace corral::queue {

Waiters::Registration Waiters::add(std::vector<std::string> keys, boost::asio::any_io_executor ex) {
  auto w = std::make_shared<Waiter>();
  w->keys = std::move(keys);
  w->timer = std::make_shared<boost::asio::steady_timer>(ex);
  return insert(std::move(w));
}

Waiters::Registration Waiters::add(std::vector<std::string> keys, std::function<bool()> wake) {
  auto w = std::make_shared<Waiter>();
  w->keys = std::move(keys);
  w->wake = std::move(wake);
  return insert(std::move(w));
}

Waiters::Registration Waiters::insert(std::shared_ptr<Waiter> w) {
  std::lock_guard lock(mutex_);
  if (closed_) w->woken = true;
  for (auto const& k : w->keys) {
    auto& list = by_key_[k];
    w->positions.push_back(list.insert(list.end(), w));
  }
  return Registration(*this, w);
}

bool Waiters::wake_locked(std::shared_ptr<Waiter> const& w) {
  if (w->woken) return false;
  if (w->wake) {
    if (!w->wake()) return false;
    w->woken = true;
    return true;
  }
  w->woken = true;
  // The timer belongs to the waiter's strand: cancel it there, never from this thread.
  boost::asio::post(w->timer->get_executor(), [t = w->timer] { t->cancel(); });
  return true;
}

void Waiters::notify(std::string const& key, std::size_t n) {
  std::lock_guard lock(mutex_);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return;
  for (auto const& w : it->second) {
    if (n == 0) break;
    if (wake_locked(w)) --n;
  }
}

void Waiters::notify_all() {
  std::lock_guard lock(mutex_);
  for (auto& [key, list] : by_key_) {
    for (auto const& w : list) wake_locked(w);
  }
}

std::vector<std::string> Waiters::keys(std::string_view prefix) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (auto const& [key, list] : by_key_) {
    if (!list.empty() && key.starts_with(prefix)) out.push_back(key);
  }
  return out;
}

void Waiters::close() {
  closed_ = true;
  notify_all();
}

std::size_t Waiters::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (auto const& [key, list] : by_key_) n += list.size();
  return n;
}

void Waiters::remove(std::shared_ptr<Waiter> const& w) {
  std::vector<std::string> pass_on;
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < w->keys.size(); ++i) {
      auto it = by_key_.find(w->keys[i]);
      it->second.erase(w->positions[i]);
      if (it->second.empty()) by_key_.erase(it);
    }
    // A wake this waiter did not use may have been meant for work still waiting: hand it on.
    if (w->woken && !w->consumed && !closed_) pass_on = w->keys;
  }
  for (auto const& k : pass_on) notify(k, 1);
}

Waiters::Registration::~Registration() {
  if (waiter_) owner_->remove(waiter_);
}

void Waiters::Registration::consumed() {
  std::lock_guard lock(owner_->mutex_);
  waiter_->consumed = true;
}

boost::asio::awaitable<void> Waiters::Registration::wait(std::chrono::steady_clock::time_point deadline) {
  {
    std::lock_guard lock(owner_->mutex_);
    if (waiter_->woken) co_return;
  }
  waiter_->timer->expires_at(deadline);
  ++owner_->parked_;
  // Cancelled (woken) or expired: either way the caller re-checks its condition.
  co_await waiter_->timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  --owner_->parked_;
}

}  // namespace corral::queue
