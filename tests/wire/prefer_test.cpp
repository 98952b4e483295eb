#include "wire/prefer.hpp"

#include <gtest/gtest.h>

namespace corral::wire {
namespace {

TEST(PreferHeader, ReturnMinimalIsFoundAmongOtherPreferencesInAnyCaseAndQuoted) {
  EXPECT_TRUE(prefers_minimal_return("return=minimal"));
  EXPECT_TRUE(prefers_minimal_return("Return=Minimal"));
  EXPECT_TRUE(prefers_minimal_return("return=\"minimal\""));
  EXPECT_TRUE(prefers_minimal_return(" respond-async , return = minimal ; foo=bar, wait=10"));
  EXPECT_TRUE(prefers_minimal_return("handling=lenient,return=minimal"));
}

TEST(PreferHeader, AnythingElseLeavesTheFullReply) {
  EXPECT_FALSE(prefers_minimal_return(""));
  EXPECT_FALSE(prefers_minimal_return("return=representation"));
  EXPECT_FALSE(prefers_minimal_return("return"));
  EXPECT_FALSE(prefers_minimal_return("minimal"));
  EXPECT_FALSE(prefers_minimal_return("return=minimalist"));
  EXPECT_FALSE(prefers_minimal_return("respond-async; return=minimal"))
      << "a parameter of another preference is not a preference";
  EXPECT_FALSE(prefers_minimal_return(",,;=,"));
}

}  // namespace
}  // namespace corral::wire
