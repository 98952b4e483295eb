#include "queue/sqlite/parked_fetches.hpp"

#include "queue/sqlite/engine.hpp"

#include <algorithm>
#include <iterator>

namespace corral::sqlite {

core::Result<ParkedFetches::Claimed> ParkedFetches::claim_for(std::shared_ptr<queue::ParkedFetch> const& fetch,
                                                              core::TimePoint now) {
  auto const& req = fetch->request();
  auto jobs = claim_(req, now);
  if (!jobs) {
    fetch->answer(jobs.error());
    if (spoils_batch(jobs.error())) return jobs.error();
    return Claimed::answered;
  }
  // Fewer than it asked for: its queues have nothing more ready, for any fetch parked behind it.
  if (jobs->size() < static_cast<std::size_t>(req.count)) {
    for (auto const& q : req.queues) ready_.erase(q);
  }
  if (!jobs->empty()) {
    served_.emplace_back(fetch, std::move(*jobs));
    return Claimed::served;
  }
  if (closed_) {
    fetch->answer(std::vector<core::Job>{});
    return Claimed::answered;
  }
  return fetch->put_back() ? Claimed::waits : Claimed::answered;
}

core::Result<void> ParkedFetches::claim_or_park(std::shared_ptr<queue::ParkedFetch> fetch, core::TimePoint now) {
  if (!fetch->take()) return {};  // its wait ran out before the writer got to it
  auto claimed = claim_for(fetch, now);
  if (!claimed) return claimed.error();
  if (*claimed == Claimed::waits) parked_.push_back(std::move(fetch));
  return {};
}

bool ParkedFetches::may_find_work(queue::FetchRequest const& req) const {
  return retry_all_ || std::any_of(req.queues.begin(), req.queues.end(),
                                   [this](std::string const& q) { return ready_.contains(q); });
}

core::Result<void> ParkedFetches::serve(core::TimePoint now) {
  for (auto it = parked_.begin(); it != parked_.end() && (retry_all_ || !ready_.empty());) {
    auto& fetch = *it;
    if (fetch->answered()) {
      it = parked_.erase(it);
      continue;
    }
    auto const& req = fetch->request();
    if (!may_find_work(req)) {
      ++it;
      continue;
    }
    if (!fetch->take()) {
      it = parked_.erase(it);
      continue;
    }
    if (req.abandoned && req.abandoned()) {
      // Its worker hung up: it would never run what it was handed.
      fetch->answer(std::vector<core::Job>{});
      it = parked_.erase(it);
      continue;
    }
    auto claimed = claim_for(fetch, now);
    if (!claimed) {
      parked_.erase(it);
      return claimed.error();
    }
    it = *claimed == Claimed::waits ? std::next(it) : parked_.erase(it);
  }
  retry_all_ = false;
  return {};
}

void ParkedFetches::close() {
  closed_ = true;
  for (auto& fetch : parked_) {
    if (fetch->take()) fetch->answer(std::vector<core::Job>{});
  }
  parked_.clear();
}

void ParkedFetches::after_commit() {
  for (auto& [fetch, jobs] : served_) fetch->answer(std::move(jobs));
  served_.clear();
  ready_.clear();
}

void ParkedFetches::after_rollback(core::Error const& why) {
  for (auto& served : served_) served.first->answer(why);
  served_.clear();
  ready_.clear();
  retry_all_ = true;
}

}  // namespace corral::sqlite
