#include "queue/postgres/waiting_fetches.hpp"

namespace corral::postgres {

WaitingFetches::Registration WaitingFetches::add(std::shared_ptr<queue::ParkedFetch> fetch) {
  auto entry = std::make_shared<Entry>();
  entry->fetch = std::move(fetch);
  std::lock_guard lock(mutex_);
  for (auto const& q : entry->fetch->request().queues) {
    auto& list = by_queue_[q];
    entry->positions.push_back(list.insert(list.end(), entry->fetch));
  }
  ++size_;
  return Registration(*this, std::move(entry));
}

std::vector<std::shared_ptr<queue::ParkedFetch>> WaitingFetches::on(std::string const& queue,
                                                                    std::size_t most) const {
  std::vector<std::shared_ptr<queue::ParkedFetch>> out;
  std::lock_guard lock(mutex_);
  auto it = by_queue_.find(queue);
  if (it == by_queue_.end()) return out;
  for (auto const& fetch : it->second) {
    if (out.size() == most) break;
    if (!fetch->answered()) out.push_back(fetch);
  }
  return out;
}

void WaitingFetches::remove(Entry& entry) {
  std::lock_guard lock(mutex_);
  auto const& queues = entry.fetch->request().queues;
  for (std::size_t i = 0; i < queues.size(); ++i) {
    auto it = by_queue_.find(queues[i]);
    it->second.erase(entry.positions[i]);
    if (it->second.empty()) by_queue_.erase(it);
  }
  --size_;
}

WaitingFetches::Registration::~Registration() {
  if (entry_) owner_->remove(*entry_);
}

}  // namespace corral::postgres
