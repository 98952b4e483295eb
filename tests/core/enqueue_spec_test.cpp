#include "core/enqueue_spec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace corral::core {
namespace {

TimePoint const kNow = from_unix_micros(1'700'000'000'000'000);

EnqueueRequest request() {
  EnqueueRequest req;
  req.type = "email.send";
  return req;
}

Result<Job> make(EnqueueRequest const& req, JobTypeDefaults const* defaults = nullptr) {
  return make_job(req, defaults, "job-1", 42, kNow);
}

// The request is rejected with invalid_argument and the message names `field`.
void expect_rejected(EnqueueRequest const& req, std::string const& field) {
  auto job = make(req);
  ASSERT_FALSE(job) << field << " was accepted";
  EXPECT_EQ(job.error().code, Errc::invalid_argument);
  EXPECT_NE(job.error().message.find(field), std::string::npos) << job.error().message;
}

void expect_accepted(EnqueueRequest const& req) {
  auto job = make(req);
  EXPECT_TRUE(job) << job.error().message;
}

TEST(EnqueueSpec, MinimalRequestGetsTheBuiltInDefaults) {
  auto job = make(request());
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, "job-1");
  EXPECT_EQ(job->seq, 42);
  EXPECT_EQ(job->type, "email.send");
  EXPECT_EQ(job->queue, "default");
  EXPECT_EQ(job->payload, "{}");
  EXPECT_EQ(job->priority, 0);
  EXPECT_EQ(job->status, JobState::queued);
  EXPECT_EQ(job->attempt, 0);
  EXPECT_EQ(job->max_attempts, 3);
  EXPECT_EQ(job->timeout_s, 300);
  EXPECT_EQ(job->max_run_s, std::nullopt);
  EXPECT_EQ(job->backoff.initial_s, 1);
  EXPECT_EQ(job->backoff.multiplier, 2);
  EXPECT_EQ(job->backoff.max_s, 3600);
  EXPECT_EQ(job->backoff.jitter, 0.1);
  EXPECT_TRUE(job->retryable);
  EXPECT_EQ(job->run_at, kNow);
  EXPECT_EQ(job->created_at, kNow);
  EXPECT_EQ(job->updated_at, kNow);
  EXPECT_TRUE(job->attempts.empty());
  EXPECT_FALSE(job->lease_token);
}

TEST(EnqueueSpec, RequestFieldsAreCopiedOntoTheJob) {
  auto req = request();
  req.payload = R"({"to":"a@b.c"})";
  req.metadata = R"({"trace":"t1"})";
  req.owner = "team billing";
  req.idempotency_key = "order-7";
  req.retryable = false;
  auto job = make(req);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->payload, req.payload);
  EXPECT_EQ(job->metadata, req.metadata);
  EXPECT_EQ(job->owner, req.owner);
  EXPECT_EQ(job->idempotency_key, req.idempotency_key);
  EXPECT_FALSE(job->retryable);
}

TEST(EnqueueSpec, TypeDefaultsApplyWhereTheRequestIsSilent) {
  JobTypeDefaults defaults{.queue = "mail",
                           .priority = 10,
                           .max_attempts = 9,
                           .timeout_s = 60,
                           .max_run_s = 600,
                           .backoff = {.initial_s = 5, .jitter = 0},
                           .retryable = false};
  auto job = make(request(), &defaults);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->queue, "mail");
  EXPECT_EQ(job->priority, 10);
  EXPECT_EQ(job->max_attempts, 9);
  EXPECT_EQ(job->timeout_s, 60);
  EXPECT_EQ(job->max_run_s, 600);
  EXPECT_EQ(job->backoff.initial_s, 5);
  EXPECT_EQ(job->backoff.multiplier, 2);  // built-in: neither layer set it
  EXPECT_EQ(job->backoff.jitter, 0);
  EXPECT_FALSE(job->retryable);
}

TEST(EnqueueSpec, RequestOverridesTypeDefaultsFieldByField) {
  JobTypeDefaults defaults{
      .queue = "mail", .priority = 10, .backoff = {.initial_s = 5, .max_s = 50}};
  auto req = request();
  req.queue = "urgent";
  req.priority = -3;
  req.backoff.max_s = 70;
  auto job = make(req, &defaults);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->queue, "urgent");
  EXPECT_EQ(job->priority, -3);
  EXPECT_EQ(job->backoff.initial_s, 5);
  EXPECT_EQ(job->backoff.max_s, 70);
}

TEST(EnqueueSpec, MergedBackoffIsValidatedAsAWhole) {
  // Each layer alone is fine; together max_s < initial_s.
  JobTypeDefaults defaults{.backoff = {.initial_s = 100}};
  auto req = request();
  req.backoff.max_s = 50;
  auto job = make(req, &defaults);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, Errc::invalid_argument);
  EXPECT_NE(job.error().message.find("backoff.max_s"), std::string::npos);
}

TEST(EnqueueSpec, BadTypeDefaultIsRejectedLikeABadRequest) {
  JobTypeDefaults defaults{.max_attempts = 0};
  auto job = make(request(), &defaults);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().message, "max_attempts must be an integer 1..1000");
}

TEST(EnqueueSpec, NamesAcceptOneTo128AllowedCharacters) {
  for (std::string name : std::vector<std::string>{"a", "A-Z.a_z:0-9", std::string(128, 'x')}) {
    auto req = request();
    req.type = name;
    req.queue = name;
    expect_accepted(req);
  }
  for (std::string bad :
       std::vector<std::string>{"", std::string(129, 'x'), "has space", "slash/", "é", "tab\t"}) {
    auto req = request();
    req.type = bad;
    expect_rejected(req, "type");
    req = request();
    req.queue = bad;
    expect_rejected(req, "queue");
  }
}

TEST(EnqueueSpec, OwnerAndIdempotencyKeyAccept1To256PrintableAscii) {
  for (std::string ok :
       std::vector<std::string>{" ", "~", "any thing: goes/here!", std::string(256, 'k')}) {
    auto req = request();
    req.owner = ok;
    req.idempotency_key = ok;
    expect_accepted(req);
  }
  for (std::string bad :
       std::vector<std::string>{"", std::string(257, 'k'), "new\nline", std::string("\x7f"), "é"}) {
    auto req = request();
    req.owner = bad;
    expect_rejected(req, "owner");
    req = request();
    req.idempotency_key = bad;
    expect_rejected(req, "idempotency_key");
  }
}

TEST(EnqueueSpec, TheRequestsTraceIdIsTheJobsAndAMalformedOneIsRejected) {
  auto req = request();
  EXPECT_EQ(make(req)->trace_id, "");   // none asked for: the backend draws one
  req.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  EXPECT_EQ(make(req)->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  for (std::string bad : {"", "4BF92F3577B34DA6A3CE929D0E0E4736", "00000000000000000000000000000000", "abc"}) {
    req.trace_id = bad;
    expect_rejected(req, "trace_id");
  }
}

TEST(EnqueueSpec, PriorityAcceptsMinus1000To1000) {
  for (int p : {-1000, 0, 1000}) {
    auto req = request();
    req.priority = p;
    expect_accepted(req);
  }
  for (int p : {-1001, 1001}) {
    auto req = request();
    req.priority = p;
    expect_rejected(req, "priority");
  }
}

TEST(EnqueueSpec, MaxAttemptsAccepts1To1000) {
  for (int n : {1, 1000}) {
    auto req = request();
    req.max_attempts = n;
    expect_accepted(req);
  }
  for (int n : {0, 1001, -1}) {
    auto req = request();
    req.max_attempts = n;
    expect_rejected(req, "max_attempts");
    EXPECT_EQ(make(req).error().message, "max_attempts must be an integer 1..1000");
  }
}

double const kNaN = std::numeric_limits<double>::quiet_NaN();
double const kInf = std::numeric_limits<double>::infinity();

struct RangeCase {
  std::string field;
  void (*set)(EnqueueRequest&, double);
  std::vector<double> inside, outside;
};

// Just inside and just outside every numeric range, plus the values no range may hold.
std::vector<RangeCase> range_cases() {
  double const ten_years = 315360000;
  return {
      {"timeout_s",
       [](EnqueueRequest& r, double v) { r.timeout_s = v; },
       {1, 86400},
       {0.999, 86400.001}},
      {"max_run_s",
       [](EnqueueRequest& r, double v) { r.max_run_s = v; },
       {1, 604800},
       {0.999, 604800.001}},
      {"delay_s",
       [](EnqueueRequest& r, double v) { r.delay_s = v; },
       {0, ten_years},
       {-0.000001, ten_years + 1}},
      {"backoff.initial_s",
       [](EnqueueRequest& r, double v) { r.backoff.initial_s = v; },
       {0, 3600},
       {-0.000001}},
      {"backoff.multiplier",
       [](EnqueueRequest& r, double v) { r.backoff.multiplier = v; },
       {1, 1000},
       {0.999, 1000.001}},
      {"backoff.max_s",
       [](EnqueueRequest& r, double v) { r.backoff.max_s = v; },
       {1, ten_years},
       {0.999, ten_years + 1}},
      {"backoff.jitter",
       [](EnqueueRequest& r, double v) { r.backoff.jitter = v; },
       {0, 1},
       {-0.000001, 1.000001}},
  };
}

TEST(EnqueueSpec, EveryNumericFieldAcceptsItsBoundsAndRejectsJustBeyond) {
  for (auto const& c : range_cases()) {
    for (double v : c.inside) {
      auto req = request();
      c.set(req, v);
      auto job = make(req);
      EXPECT_TRUE(job) << c.field << "=" << v << ": " << job.error().message;
    }
    for (double v : c.outside) {
      auto req = request();
      c.set(req, v);
      SCOPED_TRACE(c.field + "=" + std::to_string(v));
      expect_rejected(req, c.field);
    }
  }
}

TEST(EnqueueSpec, NaNAndInfinityAreRejectedForEveryNumericField) {
  for (auto const& c : range_cases()) {
    for (double v : {kNaN, kInf, -kInf}) {
      auto req = request();
      c.set(req, v);
      SCOPED_TRACE(c.field + "=" + std::to_string(v));
      expect_rejected(req, c.field);
    }
  }
}

TEST(EnqueueSpec, RangeErrorsStateTheAllowedRange) {
  auto req = request();
  req.timeout_s = 0;
  EXPECT_EQ(make(req).error().message, "timeout_s must be a number 1..86400");
}

TEST(EnqueueSpec, DelayMakesTheJobScheduled) {
  auto req = request();
  req.delay_s = 1.5;
  auto job = make(req);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, JobState::scheduled);
  EXPECT_EQ(job->run_at, kNow + Micros(1'500'000));
}

TEST(EnqueueSpec, ZeroDelayIsQueuedNow) {
  auto req = request();
  req.delay_s = 0;
  auto job = make(req);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, JobState::queued);
  EXPECT_EQ(job->run_at, kNow);
}

TEST(EnqueueSpec, FutureRunAtIsScheduledAtThatInstant) {
  auto req = request();
  req.run_at = kNow + Micros(1);
  auto job = make(req);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->status, JobState::scheduled);
  EXPECT_EQ(job->run_at, kNow + Micros(1));
}

TEST(EnqueueSpec, PastOrPresentRunAtMeansNow) {
  for (TimePoint t : {kNow, kNow - Micros(1), TimePoint{}}) {
    auto req = request();
    req.run_at = t;
    auto job = make(req);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, JobState::queued);
    EXPECT_EQ(job->run_at, kNow);
  }
}

TEST(EnqueueSpec, RunAtAndDelayTogetherAreRejectedNamingBoth) {
  auto req = request();
  req.run_at = kNow + Micros(5);
  req.delay_s = 5;
  auto job = make(req);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, Errc::invalid_argument);
  EXPECT_NE(job.error().message.find("run_at"), std::string::npos);
  EXPECT_NE(job.error().message.find("delay_s"), std::string::npos);
}

TEST(EnqueueSpec, CheckRangeRejectsNonFiniteValuesEvenWithInfiniteBounds) {
  EXPECT_FALSE(check_range("x", 5, 0, kInf));
  EXPECT_TRUE(check_range("x", kInf, 0, kInf));
  EXPECT_TRUE(check_range("x", kNaN, -kInf, kInf));
}

TEST(EnqueueSpec, WorkerIdValidatorSharesThePrintableRule) {
  EXPECT_FALSE(check_printable("worker_id", "host-1/pid 42"));
  auto err = check_printable("worker_id", "");
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, Errc::invalid_argument);
  EXPECT_EQ(err->message, "worker_id must be 1..256 printable ASCII characters");
}

}  // namespace
}  // namespace corral::core
