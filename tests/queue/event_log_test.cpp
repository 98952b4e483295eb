// The EventLog's window: readers page from their position, a position that left the window (or
// was never in it) is a gap and resumes at the oldest event kept, and the window is bounded by
// count and by bytes however many events pass through it.
#include "queue/event_log.hpp"

#include <gtest/gtest.h>

namespace corral::queue {
namespace {

core::JobEvent event(std::int64_t seq, std::size_t result_bytes = 0) {
  core::JobEvent e;
  e.seq = seq;
  e.job_id = "j" + std::to_string(seq);
  if (result_bytes > 0) e.result = std::string(result_bytes, 'x');
  return e;
}

std::vector<std::int64_t> seqs(EventLog::Page const& page) {
  std::vector<std::int64_t> out;
  for (auto const& e : page.events) out.push_back(e->seq);
  return out;
}

TEST(EventLog, ReadersPageFromTheirPositionInOrder) {
  EventLog log;
  log.append({event(1), event(2), event(3)});
  EXPECT_EQ(seqs(log.read_after(0, 10)), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(seqs(log.read_after(1, 1)), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(log.read_after(3, 10).events.empty());
  EXPECT_FALSE(log.read_after(3, 10).gap);
  EXPECT_EQ(log.last_seq(), 3);
}

TEST(EventLog, AnEventAppendedTwiceIsKeptOnce) {
  EventLog log;
  log.append({event(1), event(2)});
  log.append({event(2), event(3)});
  EXPECT_EQ(seqs(log.read_after(0, 10)), (std::vector<std::int64_t>{1, 2, 3}));
}

TEST(EventLog, APositionBeforeTheWindowIsAGapThatResumesAtTheOldestKept) {
  EventLog log(EventWindow{3, 1u << 20});
  for (std::int64_t i = 1; i <= 10; ++i) log.append({event(i)});
  EXPECT_EQ(log.size(), 3u);
  auto page = log.read_after(2, 10);
  EXPECT_TRUE(page.gap);
  EXPECT_EQ(seqs(page), (std::vector<std::int64_t>{8, 9, 10}));
  EXPECT_FALSE(log.read_after(7, 10).gap) << "7 is the last event evicted: nothing after it is lost";
}

TEST(EventLog, APositionFromBeforeAStartOrFromAnotherDatabaseIsAGap) {
  EventLog log;
  log.start_after(100);
  log.append({event(101)});
  EXPECT_TRUE(log.read_after(50, 10).gap);
  EXPECT_FALSE(log.read_after(100, 10).gap);
  auto ahead = log.read_after(5000, 10);
  EXPECT_TRUE(ahead.gap);
  EXPECT_EQ(seqs(ahead), (std::vector<std::int64_t>{101}));
}

TEST(EventLog, TheWindowIsBoundedByBytes) {
  EventLog log(EventWindow{1'000'000, 64 * 1024});
  for (std::int64_t i = 1; i <= 1000; ++i) log.append({event(i, 4096)});
  EXPECT_LT(log.size(), 17u);
  EXPECT_GE(log.size(), 1u);
  EXPECT_EQ(log.last_seq(), 1000);
}

TEST(EventLog, ListenersSeeEachEventOnce) {
  EventLog log;
  std::vector<std::int64_t> seen;
  log.subscribe([&](core::JobEvent const& e) { seen.push_back(e.seq); });
  log.append({event(1), event(2)});
  log.append({event(2), event(3)});
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace corral::queue
