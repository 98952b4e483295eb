#include "core/job.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

TEST(AttemptOutcome, EveryOutcomeRoundTripsThroughItsWireName) {
  for (auto o : {AttemptOutcome::running, AttemptOutcome::completed, AttemptOutcome::failed,
                 AttemptOutcome::lease_expired, AttemptOutcome::timed_out,
                 AttemptOutcome::cancelled, AttemptOutcome::released}) {
    EXPECT_EQ(parse_attempt_outcome(to_string(o)), o) << to_string(o);
  }
  EXPECT_EQ(to_string(AttemptOutcome::lease_expired), "lease_expired");
  EXPECT_EQ(parse_attempt_outcome("expired"), std::nullopt);
}

}  // namespace
}  // namespace corral::core
