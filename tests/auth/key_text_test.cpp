// API keys as text: their shape, that no two are alike, their SHA-256 digest against known
// vectors, and the constant-time comparison's answers.
#include "auth/key_text.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace corral::auth {
namespace {

TEST(KeyText, AKeyIsCrlAndFiftyTwoBase32LettersAndNoTwoAreAlike) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto const key = generate_key();
    ASSERT_TRUE(std::regex_match(key, std::regex("crl_[a-z2-7]{52}"))) << key;
    ASSERT_TRUE(seen.insert(key).second) << "a key came twice: " << key;
  }
  EXPECT_TRUE(std::regex_match(generate_key_id(), std::regex("key_[0-9a-f]{16}")));
}

TEST(KeyText, TheDigestIsSha256InHex) {
  // FIPS 180-2's vectors.
  EXPECT_EQ(hash_key(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hash_key("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KeyText, DigestsCompareEqualOnlyWhenEqual) {
  auto const a = hash_key("crl_a");
  EXPECT_TRUE(same_digest(a, hash_key("crl_a")));
  EXPECT_FALSE(same_digest(a, hash_key("crl_b")));
  EXPECT_FALSE(same_digest(a, a.substr(0, 63)));
  EXPECT_FALSE(same_digest(a, ""));
}

TEST(KeyText, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hmac_sha256("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(KeyText, RandomHexIsTwoDigitsPerByteAndNeverTheSame) {
  auto const a = random_hex(16);
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{32}"))) << a;
  EXPECT_NE(a, random_hex(16));
}

}  // namespace
}  // namespace corral::auth
