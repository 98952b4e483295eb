#include "queue/sqlite/ready_index.hpp"

#include "queue/queue_printers.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace corral::sqlite {
namespace {

using core::JobState;

core::TimePoint const kT0 = core::from_unix_micros(1'700'000'000'000'000);
core::TimePoint at(int seconds) { return kT0 + core::Micros(std::int64_t{seconds} * 1'000'000); }

ReadyIndex::Entry queued(std::string queue, int priority = 0) {
  return ReadyIndex::Entry{std::move(queue), priority, JobState::queued, std::nullopt};
}

ReadyIndex::Entry waiting(JobState status, core::TimePoint deadline, std::string queue = "q") {
  return ReadyIndex::Entry{std::move(queue), 0, status, deadline};
}

// Pops `queue` empty and returns the seqs in the order handed out.
std::vector<std::int64_t> drain(ReadyIndex& index, std::string const& queue) {
  std::vector<std::int64_t> out;
  while (auto seq = index.pop_ready(queue)) out.push_back(*seq);
  return out;
}

TEST(ReadyIndex, HigherPriorityFirstAndFifoWithinAPriority) {
  ReadyIndex index;
  index.put(1, queued("q", 0));
  index.put(2, queued("q", 10));
  index.put(3, queued("q", 0));
  index.put(4, queued("q", -5));
  index.put(5, queued("q", 10));

  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{2, 5, 1, 3, 4}));
  EXPECT_EQ(index.size(), 0u) << "a popped job is unknown until put again";
}

TEST(ReadyIndex, FifoFollowsSeqNotInsertionOrder) {
  ReadyIndex index;
  index.put(9, queued("q"));
  index.put(3, queued("q"));
  index.put(6, queued("q"));
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{3, 6, 9}));
}

TEST(ReadyIndex, QueuesAreSeparate) {
  ReadyIndex index;
  index.put(1, queued("a"));
  index.put(2, queued("b", 100));
  index.put(3, queued("a"));

  EXPECT_EQ(index.ready_count("a"), 2u);
  EXPECT_EQ(index.ready_count("b"), 1u);
  EXPECT_EQ(index.ready_count("c"), 0u);
  EXPECT_FALSE(index.has_ready("c"));
  EXPECT_FALSE(index.pop_ready("c").has_value());

  EXPECT_EQ(drain(index, "a"), (std::vector<std::int64_t>{1, 3}));
  EXPECT_TRUE(index.has_ready("b"));
  EXPECT_EQ(index.pop_ready("b"), 2);
  EXPECT_FALSE(index.has_ready("b"));
}

TEST(ReadyIndex, PutReplacesTheEarlierPlace) {
  ReadyIndex index;
  index.put(1, queued("q", 0));
  index.put(2, queued("q", 0));
  index.put(2, queued("q", 5));        // reprioritised
  index.put(3, queued("q", 0));
  index.put(3, queued("other", 0));    // moved to another queue

  EXPECT_EQ(index.size(), 3u);
  EXPECT_EQ(index.ready_count("q"), 2u);
  EXPECT_EQ(index.ready_count("other"), 1u);
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{2, 1}));

  // From ready to leased: out of the ready set, into the deadlines.
  index.put(4, queued("q"));
  index.put(4, waiting(JobState::running, at(30)));
  EXPECT_FALSE(index.has_ready("q"));
  EXPECT_EQ(index.next_deadline(), at(30));
  // And back (a release): the old deadline goes with it.
  index.put(4, queued("q"));
  EXPECT_EQ(index.next_deadline(), std::nullopt);
  EXPECT_EQ(index.pop_ready("q"), 4);
}

TEST(ReadyIndex, EraseFromTheMiddle) {
  ReadyIndex index;
  for (std::int64_t seq = 1; seq <= 5; ++seq) index.put(seq, queued("q"));
  index.put(6, waiting(JobState::scheduled, at(1)));
  index.put(7, waiting(JobState::scheduled, at(2)));
  index.put(8, waiting(JobState::scheduled, at(3)));

  index.erase(3);
  index.erase(7);
  index.erase(42);   // unknown: nothing happens

  EXPECT_EQ(index.size(), 6u);
  EXPECT_EQ(index.due(at(10), 10), (std::vector<std::int64_t>{6, 8}));
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{1, 2, 4, 5}));
}

TEST(ReadyIndex, TerminalStateRemoves) {
  ReadyIndex index;
  index.put(1, queued("q"));
  index.put(2, waiting(JobState::running, at(5)));
  index.put(1, ReadyIndex::Entry{"q", 0, JobState::cancelled, std::nullopt});
  index.put(2, ReadyIndex::Entry{"q", 0, JobState::completed, at(5)});
  index.put(3, ReadyIndex::Entry{"q", 0, JobState::failed, std::nullopt});

  EXPECT_EQ(index.size(), 0u);
  EXPECT_FALSE(index.has_ready("q"));
  EXPECT_EQ(index.next_deadline(), std::nullopt);
}

TEST(ReadyIndex, DueReturnsDeadlinesUpToNowEarliestFirst) {
  ReadyIndex index;
  index.put(1, waiting(JobState::scheduled, at(30)));
  index.put(2, waiting(JobState::running, at(10)));
  index.put(3, waiting(JobState::retrying, at(20)));
  index.put(4, waiting(JobState::scheduled, at(10)));   // same instant as 2: by seq
  index.put(5, waiting(JobState::scheduled, at(40)));

  EXPECT_TRUE(index.due(at(9), 10).empty());
  EXPECT_EQ(index.due(at(10), 10), (std::vector<std::int64_t>{2, 4})) << "a deadline equal to now is due";
  EXPECT_EQ(index.due(at(30), 10), (std::vector<std::int64_t>{2, 4, 3, 1}));
  EXPECT_EQ(index.due(at(30), 2), (std::vector<std::int64_t>{2, 4})) << "at most `limit`";
  EXPECT_EQ(index.size(), 5u) << "due() only looks";
}

TEST(ReadyIndex, NextDeadlineIsTheEarliest) {
  ReadyIndex index;
  EXPECT_EQ(index.next_deadline(), std::nullopt);
  index.put(1, queued("q"));
  EXPECT_EQ(index.next_deadline(), std::nullopt) << "a queued job has no deadline";

  index.put(2, waiting(JobState::scheduled, at(20)));
  index.put(3, waiting(JobState::running, at(10)));
  EXPECT_EQ(index.next_deadline(), at(10));
  index.put(3, waiting(JobState::running, at(25)));   // a heartbeat extends the lease
  EXPECT_EQ(index.next_deadline(), at(20));
  index.erase(2);
  EXPECT_EQ(index.next_deadline(), at(25));
}

TEST(ReadyIndex, SizesCountEveryNonTerminalJob) {
  ReadyIndex index;
  index.put(1, queued("a"));
  index.put(2, queued("a"));
  index.put(3, queued("b"));
  index.put(4, waiting(JobState::running, at(1), "a"));
  index.put(5, waiting(JobState::scheduled, at(2), "a"));

  EXPECT_EQ(index.size(), 5u);
  EXPECT_EQ(index.ready_count("a"), 2u) << "only queued jobs are ready";
  EXPECT_EQ(index.ready_count("b"), 1u);
  ASSERT_TRUE(index.pop_ready("a").has_value());
  EXPECT_EQ(index.size(), 4u);
  EXPECT_EQ(index.ready_count("a"), 1u);
}

ReadyIndex::Entry keyed(std::string key, int priority = 0) {
  return ReadyIndex::Entry{"q", priority, JobState::queued, std::nullopt, {}, std::move(key)};
}

TEST(ReadyIndex, JobsWithAKeyKeepThePriorityOrderWithTheOthers) {
  ReadyIndex index;
  index.put(1, keyed("a", 0));
  index.put(2, queued("q", 5));
  index.put(3, keyed("b", 10));
  index.put(4, keyed("a", 10));
  index.put(5, queued("q", 0));
  EXPECT_EQ(index.ready_count("q"), 5u);
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{3, 4, 2, 1, 5}));
  EXPECT_FALSE(index.has_ready("q"));
}

TEST(ReadyIndex, APopStepsOverTheKeysItMayNotStart) {
  ReadyIndex index;
  index.put(1, keyed("busy", 10));
  index.put(2, keyed("busy", 10));
  index.put(3, keyed("free", 0));
  index.put(4, queued("q", -5));
  auto not_busy = [](std::string const& key) { return key != "busy"; };
  EXPECT_EQ(index.pop_ready_if("q", not_busy), 3);
  EXPECT_EQ(index.pop_ready_if("q", not_busy), 4) << "a keyless job is never held back";
  EXPECT_EQ(index.pop_ready_if("q", not_busy), std::nullopt);
  EXPECT_EQ(index.ready_count("q"), 2u);
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{1, 2}));
}

TEST(ReadyIndex, RemovingAKeysBestJobMakesItsNextOneTheHead) {
  ReadyIndex index;
  index.put(1, keyed("a", 10));
  index.put(2, keyed("a", 0));
  index.put(3, keyed("b", 5));
  index.erase(1);
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{3, 2}));
}

TEST(ReadyIndex, AQueuedJobWithAStartByHasThatDeadline) {
  ReadyIndex index;
  index.put(1, ReadyIndex::Entry{"q", 0, JobState::queued, at(5)});
  EXPECT_EQ(index.next_deadline(), at(5));
  EXPECT_EQ(index.due(at(5), 10), (std::vector<std::int64_t>{1}));
  ASSERT_EQ(index.pop_ready("q"), 1);
  EXPECT_EQ(index.next_deadline(), std::nullopt) << "handed out, it is no longer waited on";
}

ReadyIndex::Entry ready_since(std::string queue, int priority, core::TimePoint since,
                             std::optional<std::string> key = std::nullopt) {
  return ReadyIndex::Entry{std::move(queue), priority, JobState::queued, std::nullopt, since, std::move(key)};
}

TEST(ReadyIndex, AnAgingQueueOrdersByPriorityPlusTheRateTimesTheWait) {
  ReadyIndex index;
  index.set_aging("aging", 10.0);   // ten points a second
  index.put(1, ready_since("aging", 0, at(0)));     // worth 30 at 3 s
  index.put(2, ready_since("aging", 25, at(1)));    // worth 45
  index.put(3, ready_since("aging", 15, at(2)));    // worth 25
  index.put(4, ready_since("aging", 25, at(3)));    // worth 25, later than 3
  EXPECT_EQ(drain(index, "aging"), (std::vector<std::int64_t>{2, 1, 3, 4}));
}

TEST(ReadyIndex, AgingIsPerQueueAndKeyedJobsAgeToo) {
  ReadyIndex index;
  index.set_aging("aging", 10.0);
  index.put(1, ready_since("aging", 0, at(0), "k"));
  index.put(2, ready_since("aging", 5, at(1)));
  index.put(3, ready_since("plain", 0, at(0)));
  index.put(4, ready_since("plain", 5, at(1)));
  EXPECT_EQ(drain(index, "aging"), (std::vector<std::int64_t>{1, 2})) << "0 + 10 x 1 s beats 5";
  EXPECT_EQ(drain(index, "plain"), (std::vector<std::int64_t>{4, 3})) << "no aging: priority alone";
}

TEST(ReadyIndex, ChangingTheRateReranksTheJobsWaitingAndOnlyThose) {
  ReadyIndex index;
  index.put(1, ready_since("q", 0, at(0)));
  index.put(2, ready_since("q", 5, at(1)));
  index.set_aging("q", 10.0);
  index.put(3, ready_since("q", 30, at(2)));
  // Ranks at 2 s: 1 is worth 20, 2 worth 15, 3 worth 30.
  EXPECT_EQ(index.pop_ready("q"), 3);
  index.set_aging("q", std::nullopt);
  EXPECT_EQ(drain(index, "q"), (std::vector<std::int64_t>{2, 1})) << "aging off: priority again";
  EXPECT_EQ(index.size(), 0u);
}

}  // namespace
}  // namespace corral::sqlite
