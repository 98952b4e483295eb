// The rule that settles a pushed job from its endpoint's reply, and Retry-After in both its
// forms, without a server: `now` is given.
#include "push/push_body.hpp"
#include "push/verdict.hpp"
#include "wire/time_format.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace corral::push {
namespace {

using namespace std::chrono_literals;
using Kind = Verdict::Kind;

core::TimePoint const kNow = *wire::parse_rfc3339("2026-01-01T00:00:00Z");

outbound::Reply reply(int status, std::string body = "", std::optional<std::string> retry_after = std::nullopt) {
  return outbound::Reply{status, std::move(body), std::move(retry_after), "", false};
}

TEST(PushVerdict, A2xxWithABodyCompletesWithItAsJsonOrAsAString) {
  auto json = judge(reply(200, R"({ "a" : [1, 2] })"), kNow);
  EXPECT_EQ(json.kind, Kind::complete);
  EXPECT_EQ(json.result, R"({"a":[1,2]})");
  EXPECT_EQ(json.outcome(), "completed");
  EXPECT_EQ(judge(reply(201, "done \"now\""), kNow).result, R"("done \"now\"")");
  EXPECT_EQ(judge(reply(200, "\xff"), kNow).result, "\"\xEF\xBF\xBD\"") << "a byte that is no UTF-8 becomes U+FFFD";
  auto deep = judge(reply(200, std::string(100, '[') + std::string(100, ']')), kNow);
  EXPECT_EQ(deep.result->front(), '"') << "deeper than the API accepts: kept as text";
}

TEST(PushVerdict, AnEmpty2xxCompletesWithANullResultAnd202LeavesTheJobToTheEndpoint) {
  EXPECT_EQ(judge(reply(204), kNow).kind, Kind::complete);
  EXPECT_FALSE(judge(reply(204), kNow).result.has_value());
  EXPECT_FALSE(judge(reply(200), kNow).result.has_value());
  auto accepted = judge(reply(202, "queued"), kNow);
  EXPECT_EQ(accepted.kind, Kind::accepted);
  EXPECT_EQ(accepted.outcome(), "accepted");
}

TEST(PushVerdict, A4xxButNot408Or429FailsForGoodWithABoundedExcerpt) {
  for (int status : {400, 401, 404, 410, 422}) {
    auto v = judge(reply(status, std::string(1000, 'x')), kNow);
    EXPECT_EQ(v.kind, Kind::fail) << status;
    EXPECT_EQ(v.error.code, "push_rejected");
    EXPECT_FALSE(v.error.retryable);
    EXPECT_EQ(v.outcome(), "rejected");
    EXPECT_EQ(v.error.message.find("push endpoint answered HTTP " + std::to_string(status) + ": xxx"), 0u);
    EXPECT_LE(v.error.message.size(), 40 + kExcerptBytes);
  }
}

TEST(PushVerdict, A408Or429Or5xxOrAnotherStatusFailsToBeRetried) {
  for (int status : {408, 429, 500, 502, 503, 301, 100}) {
    auto v = judge(reply(status), kNow);
    EXPECT_EQ(v.kind, Kind::fail) << status;
    EXPECT_EQ(v.error.code, "push_failed") << status;
    EXPECT_TRUE(v.error.retryable) << status;
    EXPECT_EQ(v.outcome(), "failed");
    EXPECT_FALSE(v.retry_in.has_value()) << "no Retry-After, the job's backoff";
  }
}

TEST(PushVerdict, ATimeoutAndNoConnectionFailToBeRetriedWithTheirOwnCodes) {
  auto timeout = judge(outbound::Reply{0, "", std::nullopt, "no reply from h:80 within 1000 ms", true}, kNow);
  EXPECT_EQ(timeout.error.code, "push_timeout");
  EXPECT_TRUE(timeout.error.retryable);
  EXPECT_EQ(timeout.error.message, "no reply from h:80 within 1000 ms");
  auto refused = judge(outbound::Reply{0, "", std::nullopt, "cannot connect to h:80: refused", false}, kNow);
  EXPECT_EQ(refused.error.code, "push_unreachable");
  EXPECT_TRUE(refused.error.retryable);
}

TEST(PushVerdict, RetryAfterOn429And503SetsTheNextAttempt) {
  EXPECT_EQ(judge(reply(429, "", "120"), kNow).retry_in, core::Micros(120s));
  EXPECT_EQ(judge(reply(503, "", "Thu, 01 Jan 2026 01:00:00 GMT"), kNow).retry_in, core::Micros(1h));
  EXPECT_FALSE(judge(reply(500, "", "120"), kNow).retry_in.has_value()) << "only 429 and 503 carry it";
}

TEST(PushRetryAfter, ReadsSecondsAndHttpDatesWithinBounds) {
  EXPECT_EQ(parse_retry_after("0", kNow), core::Micros(0));
  EXPECT_EQ(parse_retry_after(" 30 ", kNow), core::Micros(30s));
  EXPECT_EQ(parse_retry_after("99999999999999999999", kNow), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("604800", kNow), kMaxRetryAfter);
  EXPECT_EQ(parse_retry_after("Wed, 31 Dec 2025 23:00:00 GMT", kNow), core::Micros(0)) << "a past date: now";
  EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", kNow), core::Micros(10s));
  for (auto bad : {"", "-5", "1.5", "soon", "Thu, 01 Jan 2026 00:00:10", "Thu, 01 Jan 2026 00:00:10 GMT x"}) {
    EXPECT_FALSE(parse_retry_after(bad, kNow).has_value()) << bad;
  }
}

TEST(PushBody, CarriesTheJobItsLeaseAndReportUrlsUnderPublicUrl) {
  core::Job job;
  job.id = "j1";
  job.status = core::JobState::running;
  job.lease_token = "tok";
  job.lease_expires_at = kNow + 5min;
  auto body = boost::json::parse(push_body(job, "https://corral.example.com/")).as_object();
  EXPECT_EQ(body.at("job").at("id"), "j1");
  EXPECT_FALSE(body.at("job").as_object().contains("lease_token"));
  EXPECT_EQ(body.at("lease_token"), "tok");
  EXPECT_EQ(body.at("lease_expires_at").as_string(), wire::format_rfc3339(kNow + 5min));
  EXPECT_EQ(body.at("report").at("complete"), "https://corral.example.com/api/v1/jobs/j1/complete");
  EXPECT_EQ(body.at("report").at("fail"), "https://corral.example.com/api/v1/jobs/j1/fail");
  EXPECT_EQ(body.at("report").at("heartbeat"), "https://corral.example.com/api/v1/jobs/j1/heartbeat");
  auto without = boost::json::parse(push_body(job, "")).as_object();
  EXPECT_TRUE(without.at("report").at("complete").is_null()) << "no public_url: nowhere to report";
}

}  // namespace
}  // namespace corral::push
