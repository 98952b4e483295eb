// The dashboard's session token: what it carries, and that only the secret and the key's digest
// it was signed with verify it.
#include "auth/session_token.hpp"

#include <gtest/gtest.h>

namespace corral::auth {
namespace {

constexpr std::string_view kSecret = "a-auth-secret-of-at-least-32-characters";
constexpr std::string_view kDigest = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

SessionClaims claims() { return {"key_0123456789abcdef", 1'800'000'000, "00112233445566778899aabbccddeeff"}; }

TEST(SessionToken, CarriesTheKeysIdItsEndAndItsCsrfTokenButNotTheDigest) {
  auto const token = sign_session(kSecret, claims(), kDigest);
  EXPECT_TRUE(token.starts_with("v1.key_0123456789abcdef.1800000000.00112233445566778899aabbccddeeff."));
  EXPECT_EQ(token.find(kDigest), std::string::npos);
  auto read = read_session(token);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->claims.key_id, "key_0123456789abcdef");
  EXPECT_EQ(read->claims.expires_unix, 1'800'000'000);
  EXPECT_EQ(read->claims.csrf, "00112233445566778899aabbccddeeff");
  EXPECT_TRUE(session_signed_by(*read, kSecret, kDigest));
}

TEST(SessionToken, VerifiesOnlyUnderItsSecretForItsKey) {
  auto read = read_session(sign_session(kSecret, claims(), kDigest));
  ASSERT_TRUE(read);
  EXPECT_FALSE(session_signed_by(*read, "another-secret-of-at-least-32-characters", kDigest));
  EXPECT_FALSE(session_signed_by(*read, kSecret, std::string(64, '0')));
  for (auto change : {+[](SessionClaims& c) { c.key_id = "admin_key"; }, +[](SessionClaims& c) { c.expires_unix += 1; },
                      +[](SessionClaims& c) { c.csrf = std::string(32, '0'); }}) {
    auto altered = *read;
    change(altered.claims);
    EXPECT_FALSE(session_signed_by(altered, kSecret, kDigest));
  }
}

TEST(SessionToken, AnythingButFiveWellFormedPartsIsNoToken) {
  auto const token = sign_session(kSecret, claims(), kDigest);
  for (std::string bad : {std::string(), std::string("v1"), token + ".x", "v2" + token.substr(2), token.substr(0, token.rfind('.')),
                          std::string("v1.key.notanumber.csrf.mac"), std::string("v1.key;x.1.csrf.mac"),
                          std::string("v1..1.csrf.mac")}) {
    EXPECT_FALSE(read_session(bad)) << bad;
  }
}

TEST(CookieValue, FindsTheNamedCookieAmongOthers) {
  EXPECT_EQ(cookie_value("theme=dark; corral_session=v1.a.b; other=1", "corral_session"), "v1.a.b");
  EXPECT_EQ(cookie_value("corral_session=x", "corral_session"), "x");
  EXPECT_EQ(cookie_value("my_corral_session=x; corral_sessionx=y", "corral_session"), "");
  EXPECT_EQ(cookie_value("", "corral_session"), "");
}

}  // namespace
}  // namespace corral::auth
