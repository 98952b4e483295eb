// EXPECT_TRUE(has_substr(text, part)): a substring check that prints both strings when it fails.
// (The tests link GoogleTest only, not GoogleMock's HasSubstr matcher.)
#pragma once

#include <gtest/gtest.h>

#include <string_view>

namespace corral::test {

inline ::testing::AssertionResult has_substr(std::string_view text, std::string_view part) {
  if (text.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not found in:\n" << text;
}

}  // namespace corral::test
