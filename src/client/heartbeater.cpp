#include "client/heartbeater.hpp"

#include "client/reply_error.hpp"
#include "client/target.hpp"
#include "client/worker.hpp"
#include "wire/request_body.hpp"

#include <algorithm>
#include <stdexcept>

namespace corral::client {

std::string release_lease(Client& client, std::string const& id, std::string const& lease_token) {
  try {
    auto reply = client.post(job_target(id, "release"), wire::release_body({.lease_token = lease_token}));
    return reply.status == 200 ? "" : describe_error(reply);
  } catch (std::runtime_error const& e) {
    return e.what();
  }
}

void Heartbeater::run() {
  std::unique_lock lock(mutex_);
  while (!finished_) {
    auto const now = Clock::now();
    JobContext* due = nullptr;
    bool releasing = release_at_ && now >= *release_at_;
    auto next = release_at_.value_or(Clock::time_point::max());
    if (releasing && !jobs_.empty()) {
      due = jobs_.front();
      jobs_.erase(jobs_.begin());
    }
    for (auto it = jobs_.begin(); !due && it != jobs_.end(); ++it) {
      auto const at = (*it)->next_report();
      if (at <= now) due = *it;
      next = std::min(next, at);
    }
    if (due) {
      busy_ = due;
      lock.unlock();
      if (releasing) {
        due->release(client_);
      } else {
        due->beat(client_);
      }
      lock.lock();
      busy_ = nullptr;
      changed_.notify_all();
    } else if (releasing || next == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

void Heartbeater::finish() {
  std::lock_guard lock(mutex_);
  finished_ = true;
  changed_.notify_all();
}

void Heartbeater::add(JobContext& job) {
  job.set_wake([this] { wake(); });
  std::lock_guard lock(mutex_);
  jobs_.push_back(&job);
  changed_.notify_all();
}

void Heartbeater::remove(JobContext& job) {
  {
    std::unique_lock lock(mutex_);
    jobs_.erase(std::remove(jobs_.begin(), jobs_.end(), &job), jobs_.end());
    changed_.wait(lock, [&] { return busy_ != &job; });
  }
  job.set_wake(nullptr);
}

void Heartbeater::release_all_at(Clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  release_at_ = release_at_ ? std::min(*release_at_, deadline) : deadline;
  changed_.notify_all();
}

void Heartbeater::wake() {
  std::lock_guard lock(mutex_);
  changed_.notify_all();
}

}  // namespace corral::client
