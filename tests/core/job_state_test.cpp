#include "core/job_state.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

TEST(JobState, EveryStateRoundTripsThroughItsWireName) {
  for (JobState s : kAllStates) EXPECT_EQ(parse_job_state(to_string(s)), s) << to_string(s);
}

TEST(JobState, WireNamesAreTheEnumeratorNames) {
  EXPECT_EQ(to_string(JobState::queued), "queued");
  EXPECT_EQ(to_string(JobState::scheduled), "scheduled");
  EXPECT_EQ(to_string(JobState::running), "running");
  EXPECT_EQ(to_string(JobState::retrying), "retrying");
  EXPECT_EQ(to_string(JobState::completed), "completed");
  EXPECT_EQ(to_string(JobState::failed), "failed");
  EXPECT_EQ(to_string(JobState::cancelled), "cancelled");
}

TEST(JobState, UnknownNamesAreRejected) {
  EXPECT_EQ(parse_job_state(""), std::nullopt);
  EXPECT_EQ(parse_job_state("Queued"), std::nullopt);
  EXPECT_EQ(parse_job_state("dead"), std::nullopt);
}

TEST(JobState, OnlyCompletedFailedAndCancelledAreTerminal) {
  EXPECT_FALSE(is_terminal(JobState::queued));
  EXPECT_FALSE(is_terminal(JobState::scheduled));
  EXPECT_FALSE(is_terminal(JobState::running));
  EXPECT_FALSE(is_terminal(JobState::retrying));
  EXPECT_TRUE(is_terminal(JobState::completed));
  EXPECT_TRUE(is_terminal(JobState::failed));
  EXPECT_TRUE(is_terminal(JobState::cancelled));
}

}  // namespace
}  // namespace corral::core
