#include "webhooks/retry_rule.hpp"

#include <gtest/gtest.h>

namespace corral::webhooks {
namespace {

using namespace std::chrono_literals;
using core::WebhookState;

queue::Delivery delivery(core::TimePoint created, int attempts = 0) {
  return queue::Delivery{"d1", "j1", "http://127.0.0.1/h", "{}", attempts, created};
}

core::TimePoint at(std::int64_t s) { return core::TimePoint{} + std::chrono::seconds(s); }

TEST(RetryRule, ATwoHundredDelivers) {
  auto r = after_try(delivery(at(100)), TryOutcome{}, at(101), RetryRule{}, 0.5);
  EXPECT_EQ(r.state, WebhookState::delivered);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.attempted_at, at(101));
  EXPECT_FALSE(r.error);
}

TEST(RetryRule, TheFirstRetryComesWithinFiveSecondsWhateverTheDraw) {
  for (double draw : {0.0, 0.5, 0.999}) {
    auto r = after_try(delivery(at(100)), TryOutcome{"HTTP 500"}, at(100), RetryRule{}, draw);
    EXPECT_EQ(r.state, WebhookState::pending);
    EXPECT_LE(r.next_attempt_at - at(100), 5s);
    EXPECT_GT(r.next_attempt_at, at(100));
    EXPECT_EQ(r.error, "HTTP 500");
  }
}

TEST(RetryRule, DelaysGrowAndAreCapped) {
  RetryRule rule;
  auto const second = after_try(delivery(at(0), 1), TryOutcome{"x"}, at(10), rule, 0.5);
  auto const fifth = after_try(delivery(at(0), 4), TryOutcome{"x"}, at(10), rule, 0.5);
  auto const late = after_try(delivery(at(0), 30), TryOutcome{"x"}, at(10), rule, 0.5);
  EXPECT_EQ(second.next_attempt_at - at(10), 2s);
  EXPECT_EQ(fifth.next_attempt_at - at(10), 16s);
  EXPECT_EQ(late.next_attempt_at - at(10), 600s);
}

TEST(RetryRule, GivesUpWhenTheNextTryWouldComeAfterRetryFor) {
  RetryRule rule;
  rule.retry_for = 60s;
  EXPECT_EQ(after_try(delivery(at(0), 2), TryOutcome{"x"}, at(50), rule, 0.5).state, WebhookState::pending);
  EXPECT_EQ(after_try(delivery(at(0), 5), TryOutcome{"x"}, at(50), rule, 0.5).state, WebhookState::failed);
}

TEST(RetryRule, AFinalOutcomeFailsAtOnce) {
  auto r = after_try(delivery(at(0)), TryOutcome{"not allowed", true}, at(1), RetryRule{}, 0.5);
  EXPECT_EQ(r.state, WebhookState::failed);
  EXPECT_EQ(r.error, "not allowed");
}

}  // namespace
}  // namespace corral::webhooks
