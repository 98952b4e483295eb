#include "queue/sqlite/ready_index.hpp"

#include "core/priority.hpp"

namespace corral::sqlite {

bool ReadyIndex::ReadyKey::operator<(ReadyKey const& o) const {
  return core::runs_before(priority, seq, o.priority, o.seq);
}

void ReadyIndex::put(std::int64_t seq, Entry entry) {
  erase(seq);
  if (core::is_terminal(entry.status)) return;
  if (entry.status == core::JobState::queued) {
    // Jobs mostly arrive in seq order (recovery reads them so, enqueue assigns rising seqs), so
    // the end is the likely place: with a right hint the insert is constant time, not log n.
    auto& ready = ready_[entry.queue];
    ready.emplace_hint(ready.end(), ReadyKey{entry.priority, seq});
    auto& since = ready_since_[entry.queue];
    since.emplace_hint(since.end(), entry.ready_at, seq);
    entry.deadline.reset();
  } else if (entry.deadline) {
    deadlines_.insert({*entry.deadline, seq});
  }
  entries_.emplace(seq, std::move(entry));
}

void ReadyIndex::erase(std::int64_t seq) {
  auto it = entries_.find(seq);
  if (it == entries_.end()) return;
  Entry const& e = it->second;
  if (e.status == core::JobState::queued) {
    auto q = ready_.find(e.queue);
    if (q != ready_.end()) {
      q->second.erase(ReadyKey{e.priority, seq});
      if (q->second.empty()) ready_.erase(q);
    }
    if (auto since = ready_since_.find(e.queue); since != ready_since_.end()) {
      since->second.erase({e.ready_at, seq});
      if (since->second.empty()) ready_since_.erase(since);
    }
  } else if (e.deadline) {
    deadlines_.erase({*e.deadline, seq});
  }
  entries_.erase(it);
}

std::optional<std::int64_t> ReadyIndex::pop_ready(std::string const& queue) {
  auto q = ready_.find(queue);
  if (q == ready_.end() || q->second.empty()) return std::nullopt;
  std::int64_t const seq = q->second.begin()->seq;
  erase(seq);
  return seq;
}

bool ReadyIndex::has_ready(std::string const& queue) const {
  auto q = ready_.find(queue);
  return q != ready_.end() && !q->second.empty();
}

std::size_t ReadyIndex::ready_count(std::string const& queue) const {
  auto q = ready_.find(queue);
  return q == ready_.end() ? 0 : q->second.size();
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
