#include "outbound/signature.hpp"

#include <gtest/gtest.h>

namespace corral::outbound {
namespace {

// RFC 4231, test case 2.
TEST(Signature, HmacSha256MatchesTheRfcVector) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signature, SignsTheTimeAndTheBody) {
  auto const header = signature("Jefe", 1700000000, R"({"id":"j1"})");
  EXPECT_EQ(header, "t=1700000000,v1=" + hmac_sha256_hex("Jefe", R"(1700000000.{"id":"j1"})"));
  EXPECT_NE(header, signature("Jefe", 1700000001, R"({"id":"j1"})"));
  EXPECT_NE(header, signature("other", 1700000000, R"({"id":"j1"})"));
}

}  // namespace
}  // namespace corral::outbound
