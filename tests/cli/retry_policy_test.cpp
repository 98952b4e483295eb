// The client's retry policy: which replies are worth a second try, and how long to wait before
// it. Pure: the random draw is pinned, so the bounds are checked exactly.
#include "client/retry_policy.hpp"

#include <gtest/gtest.h>

namespace corral::test {
namespace {

using client::Response;

Response reply(int status, std::string retry_after = "") {
  Response r;
  r.status = status;
  if (!retry_after.empty()) r.headers["retry-after"] = retry_after;
  return r;
}

double seconds(std::chrono::duration<double> d) { return d.count(); }

TEST(RetryPolicy, OnlyServerFailuresAndRateLimitsAreTransient) {
  for (int status : {429, 500, 502, 503, 504}) EXPECT_TRUE(client::is_transient(reply(status))) << status;
  for (int status : {200, 201, 204, 400, 401, 403, 404, 409, 413}) EXPECT_FALSE(client::is_transient(reply(status))) << status;
}

TEST(RetryPolicy, RetryAfterIsReadInItsDelaySecondsForm) {
  EXPECT_EQ(client::retry_after_s(reply(503, "1")), 1.0);
  EXPECT_EQ(client::retry_after_s(reply(503, "120")), 120.0);
  EXPECT_EQ(client::retry_after_s(reply(503)), std::nullopt);
  EXPECT_EQ(client::retry_after_s(reply(503, "Wed, 21 Oct 2026 07:28:00 GMT")), std::nullopt);
  EXPECT_EQ(client::retry_after_s(reply(503, "-1")), std::nullopt);
  EXPECT_EQ(client::retry_after_s(reply(503, "1.5")), std::nullopt);
}

TEST(RetryPolicy, TheWaitDoublesUpToItsCapWithinTheJitterBand) {
  core::Backoff const policy = client::kTransientRetry;
  double expected = policy.initial_s;
  for (int failures = 1; failures <= 40; ++failures) {
    double const base = std::min(expected, policy.max_s);
    EXPECT_DOUBLE_EQ(seconds(client::retry_delay(policy, failures, std::nullopt, 0.5)), base) << failures;
    EXPECT_NEAR(seconds(client::retry_delay(policy, failures, std::nullopt, 0.0)), base * (1 - policy.jitter), 1e-6);
    EXPECT_LE(seconds(client::retry_delay(policy, failures, std::nullopt, 0.999999)), base * (1 + policy.jitter));
    expected *= policy.multiplier;
  }
}

TEST(RetryPolicy, RetryAfterIsAFloorButNeverAboveTheClientsCap) {
  core::Backoff const policy = client::kTransientRetry;
  // The first wait would be 0.25..0.75 s; the server asks for 1 s.
  EXPECT_DOUBLE_EQ(seconds(client::retry_delay(policy, 1, 1.0, 0.0)), 1.0);
  // Later waits are longer than the server's 1 s and keep growing.
  EXPECT_DOUBLE_EQ(seconds(client::retry_delay(policy, 4, 1.0, 0.5)), 4.0);
  // A server asking for an hour gets the client's ceiling.
  EXPECT_DOUBLE_EQ(seconds(client::retry_delay(policy, 1, 3600.0, 0.5)), policy.max_s);
}

TEST(RetryPolicy, ABackoffGrowsWithEachFailureAndStartsOverAfterASuccess) {
  client::RetryBackoff retry(client::kTransientRetry, 42);
  auto const unavailable = reply(503, "1");
  double const first = seconds(retry.next(&unavailable));
  EXPECT_GE(first, 1.0);   // the server's Retry-After
  for (int i = 0; i < 6; ++i) (void)retry.next(nullptr);
  EXPECT_GE(seconds(retry.next(nullptr)), client::kTransientRetry.max_s * (1 - client::kTransientRetry.jitter));
  retry.reset();
  EXPECT_LE(seconds(retry.next(nullptr)), client::kTransientRetry.initial_s * (1 + client::kTransientRetry.jitter));
}

}  // namespace
}  // namespace corral::test
