// Signature Version 4 against the AWS test suite's vectors (get-vanilla, post-vanilla,
// get-vanilla-query-order-key-case) and an SQS query-protocol request signed by botocore, and
// each way a signature is refused.
#include "sqs/sigv4.hpp"

#include <gtest/gtest.h>

namespace corral::sqs {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
// 2015-08-30T12:36:00Z, the suite's X-Amz-Date.
auto const kSigned = std::chrono::system_clock::from_time_t(1440938160);

std::string header(std::string_view signed_headers, std::string_view signature, std::string_view service = "service") {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/" + std::string(service) +
         "/aws4_request, SignedHeaders=" + std::string(signed_headers) + ", Signature=" + std::string(signature);
}

SignedParts parts(std::string_view method, std::string_view target, std::string_view body = "") {
  return {method, target, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, body};
}

std::optional<std::string> check(std::string const& authorization, SignedParts const& p,
                                 std::chrono::system_clock::time_point now = kSigned, std::string_view secret = kSecret) {
  auto auth = parse_authorization(authorization);
  if (!auth) return "unparsed";
  return check_signature(*auth, p, secret, now);
}

TEST(SigV4, TheAwsSuitesVanillaRequestsVerify) {
  EXPECT_EQ(check(header("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                  parts("GET", "/")),
            std::nullopt);
  EXPECT_EQ(check(header("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
                  parts("POST", "/")),
            std::nullopt);
  EXPECT_EQ(check(header("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
                  parts("GET", "/?Param2=value2&Param1=value1")),
            std::nullopt)
      << "the query is sorted before it is signed";
}

TEST(SigV4, AnSqsQueryRequestSignedByBotocoreVerifies) {
  SignedParts p{"POST",
                "/",
                {{"Host", "127.0.0.1:9324"},
                 {"Content-Type", "application/x-www-form-urlencoded;  charset=utf-8"},
                 {"X-Amz-Date", "20150830T123600Z"}},
                "Action=ListQueues&Version=2012-11-05"};
  auto const authorization = header("content-type;host;x-amz-date",
                                    "b9643fe9e66ee253bd4462bd5a7c0734f1f9f8636d0dbe438e91fd155c62b165", "sqs");
  EXPECT_EQ(check(authorization, p), std::nullopt) << "runs of spaces in a value count as one";
  p.body = "Action=DeleteQueue&Version=2012-11-05";
  EXPECT_NE(check(authorization, p), std::nullopt) << "another body";
}

TEST(SigV4, AnotherSecretAnotherRequestOrAStaleDateIsRefused) {
  auto const good = header("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_NE(check(good, parts("GET", "/"), kSigned, "another-secret"), std::nullopt);
  EXPECT_NE(check(good, parts("GET", "/other")), std::nullopt);
  EXPECT_NE(check(good, parts("POST", "/")), std::nullopt);
  EXPECT_EQ(check(good, parts("GET", "/"), kSigned + 14min), std::nullopt) << "clocks may differ by minutes";
  auto const stale = check(good, parts("GET", "/"), kSigned + 16min);
  ASSERT_TRUE(stale);
  EXPECT_NE(stale->find("expired"), std::string::npos) << *stale;
  EXPECT_NE(check(good, parts("GET", "/"), kSigned - 16min), std::nullopt);
  EXPECT_NE(check(header("x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                  parts("GET", "/")),
            std::nullopt)
      << "the Host header must be signed";
}

TEST(SigV4, OnlyAWellFormedHeaderIsParsed) {
  auto auth = parse_authorization(header("host;x-amz-date", std::string(64, 'a'), "sqs"));
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(auth->date, "20150830");
  EXPECT_EQ(auth->region, "us-east-1");
  EXPECT_EQ(auth->service, "sqs");
  EXPECT_EQ(auth->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  for (std::string bad : {std::string("Bearer crl_x"), std::string("AWS4-HMAC-SHA256"),
                          std::string("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs, SignedHeaders=host, Signature=") +
                              std::string(64, 'a'),
                          std::string("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, Signature=") +
                              std::string(64, 'a'),
                          header("host", "abc")}) {
    EXPECT_FALSE(parse_authorization(bad)) << bad;
  }
}

}  // namespace
}  // namespace corral::sqs
