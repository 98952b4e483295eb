#include "queue/sqlite/ready_index.hpp"

#include "core/queue_flow.hpp"

namespace corral::sqlite {

bool ReadyIndex::ReadyKey::operator<(ReadyKey const& o) const {
  // core::runs_before's order (higher first, then FIFO), on the rank, which is the priority
  // itself outside aging queues.
  return rank != o.rank ? rank > o.rank : seq < o.seq;
}

void ReadyIndex::put(std::int64_t seq, Entry entry) {
  erase(seq);
  if (core::is_terminal(entry.status)) return;
  if (entry.status == core::JobState::queued) {
    entry.rank = entry.priority;
    // No aging queue anywhere (the common case): no lookup.
    if (!aging_.empty()) {
      if (auto a = aging_.find(entry.queue); a != aging_.end()) entry.rank = core::aged_rank(entry.priority, a->second, entry.ready_at);
    }
    // Jobs mostly arrive in seq order (recovery reads them so, enqueue assigns rising seqs), so
    // the end is the likely place: with a right hint the insert is constant time, not log n.
    if (entry.key) {
      put_keyed(entry.queue, *entry.key, ReadyKey{entry.rank, seq});
    } else {
      auto& ready = ready_[entry.queue];
      ready.emplace_hint(ready.end(), ReadyKey{entry.rank, seq});
    }
    auto& since = ready_since_[entry.queue];
    since.emplace_hint(since.end(), entry.ready_at, seq);
  }
  // A queued job has a deadline only if it must start by then (start_by).
  if (entry.deadline) deadlines_.insert({*entry.deadline, seq});
  entries_.emplace(seq, std::move(entry));
}

void ReadyIndex::erase(std::int64_t seq) {
  auto it = entries_.find(seq);
  if (it == entries_.end()) return;
  Entry const& e = it->second;
  if (e.status == core::JobState::queued) {
    if (e.key) {
      erase_keyed(e.queue, *e.key, ReadyKey{e.rank, seq});
    } else if (auto q = ready_.find(e.queue); q != ready_.end()) {
      q->second.erase(ReadyKey{e.rank, seq});
      if (q->second.empty()) ready_.erase(q);
    }
    if (auto since = ready_since_.find(e.queue); since != ready_since_.end()) {
      since->second.erase({e.ready_at, seq});
      if (since->second.empty()) ready_since_.erase(since);
    }
  }
  if (e.deadline) deadlines_.erase({*e.deadline, seq});
  entries_.erase(it);
}

void ReadyIndex::put_keyed(std::string const& queue, std::string const& key, ReadyKey rk) {
  auto& keyed = keyed_[queue];
  auto& jobs = keyed.by_key[key];
  if (!jobs.empty() && !(rk < *jobs.begin())) {
    jobs.insert(rk);
    return;
  }
  if (!jobs.empty()) keyed.heads.erase(HeadKey{jobs.begin()->rank, jobs.begin()->seq, {}});
  jobs.insert(rk);
  keyed.heads.insert(HeadKey{rk.rank, rk.seq, key});
}

void ReadyIndex::erase_keyed(std::string const& queue, std::string const& key, ReadyKey rk) {
  auto k = keyed_.find(queue);
  if (k == keyed_.end()) return;
  auto& keyed = k->second;
  auto jobs = keyed.by_key.find(key);
  if (jobs == keyed.by_key.end()) return;
  bool const was_head = !jobs->second.empty() && jobs->second.begin()->seq == rk.seq;
  jobs->second.erase(rk);
  if (was_head) {
    keyed.heads.erase(HeadKey{rk.rank, rk.seq, {}});
    if (!jobs->second.empty()) keyed.heads.insert(HeadKey{jobs->second.begin()->rank, jobs->second.begin()->seq, key});
  }
  if (jobs->second.empty()) keyed.by_key.erase(jobs);
  if (keyed.by_key.empty()) keyed_.erase(k);
}

void ReadyIndex::set_aging(std::string const& queue, std::optional<double> rate_per_s) {
  auto const a = aging_.find(queue);
  if (a == aging_.end() ? !rate_per_s : rate_per_s == a->second) return;
  if (rate_per_s) aging_[queue] = *rate_per_s;
  else aging_.erase(queue);
  // Once per change of the setting: every ready job of the queue (those ready_since_ holds) is put
  // again, at its rank under the new rate.
  auto since = ready_since_.find(queue);
  if (since == ready_since_.end()) return;
  std::vector<std::int64_t> seqs;
  seqs.reserve(since->second.size());
  for (auto const& [at, seq] : since->second) seqs.push_back(seq);
  for (auto seq : seqs) {
    auto entry = entries_.at(seq);
    put(seq, std::move(entry));
  }
}

std::optional<ReadyIndex::ReadyKey> ReadyIndex::best_plain(std::string const& queue) const {
  auto q = ready_.find(queue);
  if (q == ready_.end() || q->second.empty()) return std::nullopt;
  return *q->second.begin();
}

std::optional<std::int64_t> ReadyIndex::pop_ready(std::string const& queue) {
  // No job with a key anywhere (the common case): the plain set alone, as before keys existed.
  if (keyed_.empty()) {
    auto q = ready_.find(queue);
    if (q == ready_.end() || q->second.empty()) return std::nullopt;
    std::int64_t const seq = q->second.begin()->seq;
    erase(seq);
    return seq;
  }
  return pop_ready_if(queue, [](std::string const&) { return true; });
}

bool ReadyIndex::has_ready(std::string const& queue) const {
  return best_plain(queue).has_value() || keyed_.contains(queue);
}

std::size_t ReadyIndex::ready_count(std::string const& queue) const {
  auto q = ready_.find(queue);
  std::size_t n = q == ready_.end() ? 0 : q->second.size();
  if (auto k = keyed_.find(queue); k != keyed_.end()) {
    for (auto const& [key, jobs] : k->second.by_key) n += jobs.size();
  }
  return n;
}

std::optional<core::TimePoint> ReadyIndex::oldest_ready(std::string const& queue) const {
  auto q = ready_since_.find(queue);
  if (q == ready_since_.end() || q->second.empty()) return std::nullopt;
  return q->second.begin()->first;
}

std::optional<core::TimePoint> ReadyIndex::next_deadline() const {
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.begin()->first;
}

std::vector<std::int64_t> ReadyIndex::due(core::TimePoint now, std::size_t limit) const {
  std::vector<std::int64_t> out;
  for (auto it = deadlines_.begin(); it != deadlines_.end() && it->first <= now && out.size() < limit; ++it) {
    out.push_back(it->second);
  }
  return out;
}

}  // namespace corral::sqlite
