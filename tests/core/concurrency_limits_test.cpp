// The concurrency-limit rule: the room a queue's max_running leaves, and whether a key may start
// one more job under max_running_per_key.
#include "core/concurrency_limits.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

TEST(ConcurrencyLimits, AQueueWithoutALimitHasNoBound) {
  EXPECT_EQ(room_in_queue({}, 1'000'000), std::nullopt);
  EXPECT_TRUE(key_has_room({}, true, 1'000'000));
  EXPECT_FALSE(ConcurrencyLimits{}.any());
}

TEST(ConcurrencyLimits, MaxRunningLeavesRoomForTheDifference) {
  ConcurrencyLimits const three{.max_running = 3};
  EXPECT_EQ(room_in_queue(three, 0), 3);
  EXPECT_EQ(room_in_queue(three, 2), 1);
  EXPECT_EQ(room_in_queue(three, 3), 0);
  EXPECT_EQ(room_in_queue(three, 5), 0) << "a limit lowered below what runs leaves no room, never less";
  EXPECT_TRUE(three.any());
}

TEST(ConcurrencyLimits, MaxRunningPerKeyHoldsBackOnlyJobsWithAKey) {
  ConcurrencyLimits const one{.max_running_per_key = 1};
  EXPECT_TRUE(key_has_room(one, true, 0));
  EXPECT_FALSE(key_has_room(one, true, 1));
  EXPECT_TRUE(key_has_room(one, false, 7)) << "keyless jobs count only against max_running";
  EXPECT_EQ(room_in_queue(one, 50), std::nullopt);
}

}  // namespace
}  // namespace corral::core
