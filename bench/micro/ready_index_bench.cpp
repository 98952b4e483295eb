// The ready index's fetch path: pop the next ready job and put it back as running, then as
// queued again, at 10 thousand and 1 million jobs in the index (the cost must not grow with it).
#include "queue/sqlite/ready_index.hpp"

#include <benchmark/benchmark.h>

namespace corral::sqlite {
namespace {

ReadyIndex filled(std::int64_t jobs) {
  ReadyIndex index;
  for (std::int64_t seq = 1; seq <= jobs; ++seq) {
    index.put(seq, ReadyIndex::Entry{"bench", static_cast<int>(seq % 3) * 10 - 10, core::JobState::queued, {}});
  }
  return index;
}

void ready_index_pop_lease_requeue(benchmark::State& state) {
  auto index = filled(state.range(0));
  auto const lease_end = core::TimePoint{} + std::chrono::hours(1);
  for (auto _ : state) {
    auto seq = index.pop_ready("bench");
    index.put(*seq, ReadyIndex::Entry{"bench", 0, core::JobState::running, lease_end});
    index.put(*seq, ReadyIndex::Entry{"bench", 0, core::JobState::queued, {}});
    benchmark::DoNotOptimize(seq);
  }
}
BENCHMARK(ready_index_pop_lease_requeue)->Arg(10'000)->Arg(1'000'000);

void ready_index_pop_complete_add(benchmark::State& state) {
  auto index = filled(state.range(0));
  std::int64_t next = state.range(0) + 1;
  for (auto _ : state) {
    auto seq = index.pop_ready("bench");
    index.put(*seq, ReadyIndex::Entry{"bench", 0, core::JobState::completed, {}});
    index.put(next++, ReadyIndex::Entry{"bench", 0, core::JobState::queued, {}});
  }
}
BENCHMARK(ready_index_pop_complete_add)->Arg(10'000)->Arg(1'000'000);

}  // namespace
}  // namespace corral::sqlite
