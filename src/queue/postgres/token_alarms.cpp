#include "queue/postgres/token_alarms.hpp"

namespace corral::postgres {

void TokenAlarms::set(std::string const& queue, core::Micros wait) {
  auto const at = Clock::now() + wait;
  std::lock_guard lock(mutex_);
  if (closed_) return;
  if (auto it = alarms_.find(queue); it != alarms_.end() && it->second.at <= at) return;
  auto timer = std::make_shared<boost::asio::steady_timer>(ex_, at);
  if (auto it = alarms_.find(queue); it != alarms_.end()) it->second.timer->cancel();
  alarms_[queue] = Alarm{at, timer};
  timer->async_wait([this, queue, timer](boost::system::error_code ec) {
    if (!ec) fired(queue, timer);
  });
}

void TokenAlarms::fired(std::string const& queue, std::shared_ptr<boost::asio::steady_timer> const& timer) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    auto it = alarms_.find(queue);
    if (it == alarms_.end() || it->second.timer != timer) return;   // replaced by an earlier one
    alarms_.erase(it);
  }
  waiters_.notify("q:" + queue, 1);
}

void TokenAlarms::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& [queue, alarm] : alarms_) alarm.timer->cancel();
  alarms_.clear();
}

}  // namespace corral::postgres
