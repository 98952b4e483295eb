#include "queue/sqlite/job_cache.hpp"

namespace corral::sqlite {
namespace {

std::size_t size_of(std::optional<std::string> const& s) { return s ? s->size() : 0; }

}  // namespace

std::size_t JobCache::approx_bytes(core::Job const& job) {
  constexpr std::size_t kNodeOverhead = 64;   // hash-map node, bucket and allocator headers
  std::size_t bytes = sizeof(core::Job) + kNodeOverhead + job.id.size() + job.type.size() +
                      job.queue.size() + job.payload.size() + size_of(job.checkpoint) +
                      size_of(job.result) + size_of(job.owner) + size_of(job.idempotency_key) +
                      size_of(job.metadata) + job.attempts.size() * sizeof(core::Attempt);
  for (auto const& a : job.attempts) bytes += a.worker_id.size() + a.lease_token.size();
  return bytes;
}

void JobCache::remember(core::Job const& job) {
  drop_queued(job.seq);
  if (job.status == core::JobState::running) {
    running_.insert_or_assign(job.id, job);
    return;
  }
  running_.erase(job.id);
  if (job.status != core::JobState::queued) return;
  auto const bytes = approx_bytes(job);
  if (queued_bytes_ + bytes > queued_budget_bytes_) return;
  queued_.emplace(job.seq, Queued{job, bytes});
  queued_bytes_ += bytes;
}

void JobCache::forget(core::Job const& job) {
  drop_queued(job.seq);
  running_.erase(job.id);
}

void JobCache::clear() {
  running_.clear();
  queued_.clear();
  queued_bytes_ = 0;
}

core::Job const* JobCache::running(std::string const& id) const {
  auto it = running_.find(id);
  return it == running_.end() ? nullptr : &it->second;
}

std::optional<core::Job> JobCache::take_queued(std::int64_t seq) {
  auto it = queued_.find(seq);
  if (it == queued_.end()) return std::nullopt;
  std::optional<core::Job> job(std::move(it->second.job));
  erase_queued(it);
  return job;
}

void JobCache::drop_queued(std::int64_t seq) {
  if (auto it = queued_.find(seq); it != queued_.end()) erase_queued(it);
}

void JobCache::erase_queued(Queued::Map::iterator it) {
  queued_bytes_ -= it->second.bytes;
  queued_.erase(it);
}

}  // namespace corral::sqlite
