#include "queue/sqlite/rate_buckets.hpp"

namespace corral::sqlite {

void RateBuckets::set(std::string const& queue, std::optional<core::QueueRateLimit> const& limit) {
  if (!limit) {
    queues_.erase(queue);
    return;
  }
  auto [it, added] = queues_.try_emplace(queue, Limited{*limit, std::nullopt, std::nullopt});
  if (!added && it->second.limit != *limit) it->second = Limited{*limit, std::nullopt, std::nullopt};
}

RateBuckets::Bucket& RateBuckets::bucket_of(Limited& q, core::TimePoint now) {
  if (!q.bucket) q.bucket.emplace(q.limit.bucket(), now);
  return *q.bucket;
}

bool RateBuckets::has_token(std::string const& queue, core::TimePoint now) {
  auto it = queues_.find(queue);
  if (it == queues_.end()) return true;
  return bucket_of(it->second, now).wait(now) == core::Micros::zero();
}

void RateBuckets::take(std::string const& queue, core::TimePoint now) {
  if (auto it = queues_.find(queue); it != queues_.end()) bucket_of(it->second, now).take_up_to(1, now);
}

void RateBuckets::ran_dry(std::string const& queue, core::TimePoint now) {
  auto it = queues_.find(queue);
  if (it == queues_.end()) return;
  auto& q = it->second;
  q.dry_until = now + bucket_of(q, now).wait(now);
}

std::optional<core::TimePoint> RateBuckets::next_token() const {
  std::optional<core::TimePoint> next;
  for (auto const& [name, q] : queues_) {
    if (q.dry_until && (!next || *q.dry_until < *next)) next = q.dry_until;
  }
  return next;
}

void RateBuckets::take_refilled(core::TimePoint now, std::function<void(std::string const&)> const& woken) {
  for (auto& [name, q] : queues_) {
    if (!q.dry_until || *q.dry_until > now) continue;
    q.dry_until.reset();
    woken(name);
  }
}

}  // namespace corral::sqlite
