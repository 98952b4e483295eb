#include "outbound/destination.hpp"

#include <gtest/gtest.h>

namespace corral::outbound {
namespace {

TEST(Destination, ParsesSchemeHostPortAndTarget) {
  auto d = parse_destination("callback_url", "https://Hooks.Example.com:8443/a/b?x=1");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->tls);
  EXPECT_EQ(d->host, "hooks.example.com");
  EXPECT_EQ(d->port, 8443);
  EXPECT_EQ(d->target, "/a/b?x=1");
  EXPECT_EQ(d->key(), "hooks.example.com:8443");

  auto plain = parse_destination("callback_url", "http://[::1]");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "::1");
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->target, "/");
  EXPECT_EQ(plain->key(), "[::1]:80");
}

TEST(Destination, RefusesWhatIsNotAnHttpUrl) {
  for (auto const* url : {"ftp://127.0.0.1/", "127.0.0.1/hook", "http://user:pw@127.0.0.1/", "http://127.0.0.1/#f",
                          "http://127.0.0.1:0/", "http://127.0.0.1:99999/", "not a url"}) {
    auto d = parse_destination("callback_url", url);
    ASSERT_FALSE(d) << url;
    EXPECT_NE(d.error().message.find("callback_url"), std::string::npos) << d.error().message;
  }
}

TEST(AllowList, DefaultsToLoopbackOnly) {
  AllowList const allow;
  EXPECT_TRUE(allowed_destination("u", "http://127.0.0.1:9000/x", allow));
  EXPECT_TRUE(allowed_destination("u", "http://localhost/x", allow));
  EXPECT_TRUE(allowed_destination("u", "https://[::1]:8443/x", allow));
  auto refused = allowed_destination("u", "http://192.168.1.5/x", allow);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::Errc::invalid_argument);
  EXPECT_NE(refused.error().message.find("192.168.1.5:80"), std::string::npos) << refused.error().message;
}

TEST(AllowList, AHostAllowsEveryPortAndAHostPortOnlyItsOwn) {
  AllowList const allow({"hooks.example.com", "api.example.com:8443", "[fd00::1]:80", "HOST.example.org"});
  EXPECT_TRUE(allow.allows(*parse_destination("u", "https://hooks.example.com/")));
  EXPECT_TRUE(allow.allows(*parse_destination("u", "http://hooks.example.com:1234/")));
  EXPECT_TRUE(allow.allows(*parse_destination("u", "https://api.example.com:8443/")));
  EXPECT_FALSE(allow.allows(*parse_destination("u", "https://api.example.com/")));
  EXPECT_TRUE(allow.allows(*parse_destination("u", "http://[fd00::1]/")));
  EXPECT_TRUE(allow.allows(*parse_destination("u", "http://host.example.org/")));
  EXPECT_FALSE(allow.allows(*parse_destination("u", "http://evil.hooks.example.com/")));
  EXPECT_FALSE(allow.allows(*parse_destination("u", "http://127.0.0.1/"))) << "a list replaces the default";
}

TEST(AllowList, EntriesAreChecked) {
  EXPECT_FALSE(check_allow_entry("e", "example.com"));
  EXPECT_FALSE(check_allow_entry("e", "example.com:80"));
  EXPECT_FALSE(check_allow_entry("e", "[::1]:80"));
  EXPECT_FALSE(check_allow_entry("e", "::1"));
  EXPECT_TRUE(check_allow_entry("e", "example.com:http"));
  EXPECT_TRUE(check_allow_entry("e", "http://example.com"));
  EXPECT_TRUE(check_allow_entry("e", ""));
}

}  // namespace
}  // namespace corral::outbound
