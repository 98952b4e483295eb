#include "core/priority.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

TEST(Priority, NamesMapToTheirNumbers) {
  EXPECT_EQ(parse_priority_name("low"), -10);
  EXPECT_EQ(parse_priority_name("normal"), 0);
  EXPECT_EQ(parse_priority_name("high"), 10);
}

TEST(Priority, UnknownOrDifferentlyCasedNamesAreRejected) {
  EXPECT_EQ(parse_priority_name(""), std::nullopt);
  EXPECT_EQ(parse_priority_name("High"), std::nullopt);
  EXPECT_EQ(parse_priority_name("urgent"), std::nullopt);
  EXPECT_EQ(parse_priority_name("10"), std::nullopt);
}

TEST(Priority, HigherPriorityRunsFirstWhateverTheSequence) {
  EXPECT_TRUE(runs_before(10, 500, 0, 1));
  EXPECT_FALSE(runs_before(0, 1, 10, 500));
  EXPECT_TRUE(runs_before(kMaxPriority, 2, kMaxPriority - 1, 1));
  EXPECT_TRUE(runs_before(kMinPriority + 1, 2, kMinPriority, 1));
}

TEST(Priority, EqualPriorityRunsInEnqueueOrder) {
  EXPECT_TRUE(runs_before(0, 1, 0, 2));
  EXPECT_FALSE(runs_before(0, 2, 0, 1));
  EXPECT_TRUE(runs_before(-5, 7, -5, 8));
}

TEST(Priority, AJobDoesNotRunBeforeItself) { EXPECT_FALSE(runs_before(3, 42, 3, 42)); }

TEST(Priority, ReadyOrderIsUsableAtCompileTime) {
  static_assert(runs_before(1, 9, 0, 1));
  static_assert(!runs_before(0, 9, 0, 1));
}

}  // namespace
}  // namespace corral::core
