// A FIFO queue's rules that need no server: the 5-minute deduplication window (with `now`
// given, so the window's end is tested without waiting for it), the scope of a deduplication
// key, the checks of a send's group and deduplication ids, and SequenceNumber's form.
#include "sqs/fifo.hpp"

#include "sqs/digest.hpp"

#include <gtest/gtest.h>

namespace corral::sqs {
namespace {

using core::JobState;
using namespace std::chrono_literals;

core::Job sent_at(core::TimePoint t, JobState status) {
  core::Job job;
  job.created_at = t;
  job.status = status;
  return job;
}

QueueConfig fifo_queue(bool content_based = false, bool per_group = false) {
  QueueConfig q;
  q.name = "orders.fifo";
  q.fifo = true;
  q.content_based_deduplication = content_based;
  q.deduplication_per_group = per_group;
  return q;
}

TEST(Fifo, ASendWithinFiveMinutesOfTheFirstIsItsDuplicate) {
  core::TimePoint const t0{core::Micros{1'700'000'000'000'000}};
  auto const first = sent_at(t0, JobState::completed);
  EXPECT_TRUE(is_duplicate_of(first, t0));
  EXPECT_TRUE(is_duplicate_of(first, t0 + 299s));
  EXPECT_FALSE(is_duplicate_of(first, t0 + 300s));
  EXPECT_FALSE(is_duplicate_of(first, t0 + 1h));
}

TEST(Fifo, AMessageStillInTheQueueKeepsItsIdPastTheWindow) {
  core::TimePoint const t0{core::Micros{1'700'000'000'000'000}};
  for (auto s : {JobState::queued, JobState::running, JobState::scheduled, JobState::retrying}) {
    EXPECT_TRUE(is_duplicate_of(sent_at(t0, s), t0 + 1h)) << core::to_string(s);
  }
  for (auto s : {JobState::completed, JobState::failed, JobState::cancelled}) {
    EXPECT_FALSE(is_duplicate_of(sent_at(t0, s), t0 + 1h)) << core::to_string(s);
  }
}

TEST(Fifo, TheKeyIsScopedToTheQueueAndWithMessageGroupScopeToTheGroup) {
  FifoFields const g{"g", "id-1"}, h{"h", "id-1"};
  EXPECT_EQ(deduplication_key(fifo_queue(), g), deduplication_key(fifo_queue(), h));
  EXPECT_NE(deduplication_key(fifo_queue(false, true), g), deduplication_key(fifo_queue(false, true), h));
  auto other = fifo_queue();
  other.name = "other.fifo";
  EXPECT_NE(deduplication_key(fifo_queue(), g), deduplication_key(other, g));
  EXPECT_LE(deduplication_key(fifo_queue(), FifoFields{std::string(128, 'g'), std::string(128, 'd')}).size(), 256u)
      << "an idempotency key is at most 256 characters";
}

TEST(Fifo, ASendNeedsAGroupAndAnIdUnlessTheContentIsTheId) {
  boost::json::object params{{"MessageBody", "hi"}};
  auto no_group = read_fifo_fields(params, fifo_queue(true), "hi");
  ASSERT_FALSE(no_group);
  EXPECT_EQ(no_group.error().kind.query_code, "MissingParameter");

  params["MessageGroupId"] = "g";
  auto no_id = read_fifo_fields(params, fifo_queue(false), "hi");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().kind.query_code, "InvalidParameterValue");

  auto by_content = read_fifo_fields(params, fifo_queue(true), "hi");
  ASSERT_TRUE(by_content && *by_content);
  EXPECT_EQ((*by_content)->deduplication_id, sha256_hex("hi"));

  params["MessageDeduplicationId"] = "mine";
  auto given = read_fifo_fields(params, fifo_queue(true), "hi");
  ASSERT_TRUE(given && *given);
  EXPECT_EQ((*given)->deduplication_id, "mine");

  params["MessageGroupId"] = "with space";
  EXPECT_FALSE(read_fifo_fields(params, fifo_queue(true), "hi"));
  params["MessageGroupId"] = std::string(129, 'g');
  EXPECT_FALSE(read_fifo_fields(params, fifo_queue(true), "hi"));
}

TEST(Fifo, AStandardQueueRefusesADeduplicationIdAndIgnoresAGroup) {
  QueueConfig standard;
  standard.name = "plain";
  boost::json::object params{{"MessageBody", "hi"}, {"MessageGroupId", "g"}};
  auto fields = read_fifo_fields(params, standard, "hi");
  ASSERT_TRUE(fields);
  EXPECT_FALSE(*fields);
  params["MessageDeduplicationId"] = "d";
  EXPECT_FALSE(read_fifo_fields(params, standard, "hi"));
}

TEST(Fifo, TheSequenceNumberIsTheEnqueueSequenceIn20Digits) {
  core::Job job;
  job.seq = 42;
  EXPECT_EQ(sequence_number(job), "00000000000000000042");
}

}  // namespace
}  // namespace corral::sqs
