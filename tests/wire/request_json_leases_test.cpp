#include "wire/request_json.hpp"

#include "support/request_bodies.hpp"
#include "support/results.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace corral::wire {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

using test::body;
using test::error_of;

// Runs `parse` on each body of `bodies` and expects the one `error`.
template <class Parse>
void expect_error_for_each(Parse parse, std::initializer_list<char const*> bodies, std::string const& error) {
  for (char const* text : bodies) EXPECT_EQ(error_of(parse(body(text))), "invalid_argument: " + error) << text;
}

// --- parse_fetch ------------------------------------------------------------------------------

TEST(ParseFetch, EmptyBodyFetchesOneJobFromDefaultAtOnce) {
  auto req = parse_fetch(body(""));
  ASSERT_TRUE(req);
  EXPECT_EQ(req->queues, std::vector<std::string>{"default"});
  EXPECT_EQ(req->worker_id, "");
  EXPECT_EQ(req->count, 1);
  EXPECT_EQ(req->wait, 0us);
  EXPECT_EQ(req->lease, std::nullopt);
}

TEST(ParseFetch, ReadsEveryFieldAtTheEdgesOfTheirRanges) {
  auto req = parse_fetch(body(R"({"queues":["b","a.1:x-y_z"],"worker_id":"host-1 pid 7","count":100,
      "wait_s":60,"lease_s":86400})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->queues, (std::vector<std::string>{"b", "a.1:x-y_z"}));
  EXPECT_EQ(req->worker_id, "host-1 pid 7");
  EXPECT_EQ(req->count, 100);
  EXPECT_EQ(req->wait, 60s);
  EXPECT_EQ(req->lease, 86400s);

  req = parse_fetch(body(R"({"count":1,"wait_s":0.25,"lease_s":1,"worker_id":null})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->count, 1);
  EXPECT_EQ(req->wait, 250ms);
  EXPECT_EQ(req->lease, 1s);
}

TEST(ParseFetch, QueuesMustBeOneTo32ValidNames) {
  std::string names;
  for (int i = 0; i < 32; ++i) names += std::string(i ? "," : "") + "\"q" + std::to_string(i) + "\"";
  EXPECT_EQ(parse_fetch(body(R"({"queues":[)" + names + "]}"))->queues.size(), 32u);
  std::string too_many = R"({"queues":[)" + names + R"(,"q32"]})";
  EXPECT_EQ(error_of(parse_fetch(body(too_many))), "invalid_argument: queues must be an array of 1..32 queue names");
  expect_error_for_each(parse_fetch, {R"({"queues":[]})", R"({"queues":"default"})", R"({"queues":{}})"},
                        "queues must be an array of 1..32 queue names");
  expect_error_for_each(parse_fetch, {R"({"queues":["a",1]})"}, "queues[1] must be a string");
  // The name rule and its wording are core::check_name's; the field is named here.
  for (char const* bad : {R"({"queues":["a","has space"]})", R"({"queues":["a",""]})"}) {
    auto req = parse_fetch(body(bad));
    ASSERT_FALSE(req) << bad;
    EXPECT_EQ(req.error().code, core::Errc::invalid_argument);
    EXPECT_TRUE(req.error().message.starts_with("queues[1] ")) << req.error().message;
  }
}

TEST(ParseFetch, WorkerIdIsPrintableAndAtMost256Characters) {
  EXPECT_EQ(parse_fetch(body(R"({"worker_id":")" + std::string(256, 'w') + "\"}"))->worker_id.size(), 256u);
  EXPECT_EQ(error_of(parse_fetch(body(R"({"worker_id":")" + std::string(257, 'w') + "\"}"))),
            "invalid_argument: worker_id must be at most 256 characters");
  expect_error_for_each(parse_fetch, {R"({"worker_id":5})"}, "worker_id must be a string");
  auto control = parse_fetch(body(R"({"worker_id":"a\u0001b"})"));
  ASSERT_FALSE(control);
  EXPECT_TRUE(control.error().message.starts_with("worker_id ")) << control.error().message;
}

TEST(ParseFetch, CountIsAnInteger1To100) {
  EXPECT_EQ(parse_fetch(body(R"({"count":2.0})"))->count, 2);
  expect_error_for_each(parse_fetch, {R"({"count":0})", R"({"count":101})", R"({"count":1.5})", R"({"count":"1"})",
                                      R"({"count":-1})", R"({"count":true})"},
                        "count must be an integer 1..100");
}

TEST(ParseFetch, WaitIsANumber0To60Seconds) {
  expect_error_for_each(parse_fetch, {R"({"wait_s":-0.001})", R"({"wait_s":60.001})", R"({"wait_s":"1"})"},
                        "wait_s must be a number 0..60");
}

TEST(ParseFetch, LeaseIsANumber1To86400Seconds) {
  expect_error_for_each(parse_fetch, {R"({"lease_s":0.999})", R"({"lease_s":86400.001})", R"({"lease_s":[]})"},
                        "lease_s must be a number 1..86400");
}

// --- lease tokens (heartbeat, complete, fail, release) ----------------------------------------

TEST(ParseLeaseReports, EveryReportNeedsANonEmptyLeaseToken) {
  auto check = [](auto parse) {
    expect_error_for_each(parse, {"{}", R"({"lease_token":null})"}, "lease_token is required");
    expect_error_for_each(parse, {R"({"lease_token":""})"}, "lease_token must not be empty");
    expect_error_for_each(parse, {R"({"lease_token":7})"}, "lease_token must be a string");
  };
  check(parse_heartbeat);
  check(parse_complete);
  check(parse_fail);
  check(parse_release);
}

// --- parse_heartbeat --------------------------------------------------------------------------

TEST(ParseHeartbeat, TokenAloneLeavesEverythingElseUnset) {
  auto req = parse_heartbeat(body(R"({"lease_token":"tok"})"));
  ASSERT_TRUE(req);
  EXPECT_EQ(req->lease_token, "tok");
  EXPECT_EQ(req->progress, std::nullopt);
  EXPECT_EQ(req->checkpoint, std::nullopt);
  EXPECT_EQ(req->extend, std::nullopt);
}

TEST(ParseHeartbeat, ReadsProgressCheckpointAndExtension) {
  auto req = parse_heartbeat(body(R"({"lease_token":"tok","progress":{"percent":100,"stage":"s","message":"m",
      "current":0,"total":1e12},"checkpoint":[1,{"k":"v"}],"extend_s":1})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->progress, core::ProgressUpdate::setting(
                              core::Progress{.percent = 100, .stage = "s", .message = "m", .current = 0, .total = 1e12}));
  EXPECT_EQ(req->checkpoint, R"([1,{"k":"v"}])");
  EXPECT_EQ(req->extend, 1s);
  EXPECT_EQ(parse_heartbeat(body(R"({"lease_token":"t","progress":{"percent":0}})"))->progress,
            core::ProgressUpdate{.percent = 0.0});
  EXPECT_EQ(parse_heartbeat(body(R"({"lease_token":"t","extend_s":86400})"))->extend, 86400s);
}

TEST(ParseHeartbeat, AProgressFieldSetToNullClearsItWhileAnAbsentOneIsLeftAlone) {
  auto req = parse_heartbeat(body(R"({"lease_token":"t","progress":{"percent":30,"stage":null}})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->progress, (core::ProgressUpdate{.percent = 30.0, .stage = std::optional<std::string>()}));
}

TEST(ParseComplete, ReadsTheLastProgress) {
  auto req = parse_complete(body(R"({"lease_token":"t","progress":{"percent":100}})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->progress, core::ProgressUpdate{.percent = 100.0});
  expect_error_for_each(parse_complete, {R"({"lease_token":"t","progress":{"percent":101}})"},
                        "progress.percent must be a number 0..100");
}

TEST(ParseHeartbeat, ProgressFieldsOfTheWrongTypeOrRangeAreNamed) {
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":5})"}, "progress must be an object");
  expect_error_for_each(parse_heartbeat,
                        {R"({"lease_token":"t","progress":{"percent":-0.1}})",
                         R"({"lease_token":"t","progress":{"percent":100.1}})",
                         R"({"lease_token":"t","progress":{"percent":"50"}})"},
                        "progress.percent must be a number 0..100");
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":{"stage":1}})"},
                        "progress.stage must be a string");
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":{"message":{}}})"},
                        "progress.message must be a string");
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":{"current":-1}})"},
                        "progress.current must be a number >= 0");
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":{"total":"9"}})"},
                        "progress.total must be a number >= 0");
}

TEST(ParseHeartbeat, ExtensionIsANumber1To86400Seconds) {
  expect_error_for_each(parse_heartbeat,
                        {R"({"lease_token":"t","extend_s":0.5})", R"({"lease_token":"t","extend_s":86401})",
                         R"({"lease_token":"t","extend_s":"60"})"},
                        "extend_s must be a number 1..86400");
}

// --- parse_complete ---------------------------------------------------------------------------

TEST(ParseComplete, ResultIsOptionalAndMayBeAnyJson) {
  EXPECT_EQ(parse_complete(body(R"({"lease_token":"t"})"))->result, std::nullopt);
  EXPECT_EQ(parse_complete(body(R"({"lease_token":"t","result":null})"))->result, std::nullopt);
  EXPECT_EQ(parse_complete(body(R"({"lease_token":"t","result":[1,"x"]})"))->result, R"([1,"x"])");
  EXPECT_EQ(parse_complete(body(R"({"lease_token":"t","result":"done"})"))->result, R"("done")");
}

// --- parse_fail -------------------------------------------------------------------------------

TEST(ParseFail, ErrorDefaultsToARetryableGenericError) {
  auto req = parse_fail(body(R"({"lease_token":"t"})"));
  ASSERT_TRUE(req);
  EXPECT_EQ(req->error, (core::JobError{.code = "error", .message = "", .retryable = true}));
  EXPECT_EQ(req->retry_in, std::nullopt);
  EXPECT_EQ(parse_fail(body(R"({"lease_token":"t","error":{}})"))->error,
            (core::JobError{.code = "error", .message = "", .retryable = true}));
}

TEST(ParseFail, ReadsErrorAndRetryDelay) {
  auto req = parse_fail(body(R"({"lease_token":"t","error":{"message":"disk full","code":"enospc",
      "retryable":false},"retry_in_s":0})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->error, (core::JobError{.code = "enospc", .message = "disk full", .retryable = false}));
  EXPECT_EQ(req->retry_in, 0us);
  EXPECT_EQ(parse_fail(body(R"({"lease_token":"t","retry_in_s":2.5})"))->retry_in, 2500ms);
}

TEST(ParseFail, ErrorFieldsOfTheWrongTypeAreNamed) {
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","error":"boom"})"}, "error must be an object");
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","error":{"message":5}})"}, "error.message must be a string");
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","error":{"code":[]}})"}, "error.code must be a string");
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","error":{"retryable":"no"}})"},
                        "error.retryable must be true or false");
  expect_error_for_each(parse_fail,
                        {R"({"lease_token":"t","retry_in_s":-0.001})", R"({"lease_token":"t","retry_in_s":"1"})",
                         R"({"lease_token":"t","retry_in_s":315360001})"},
                        "retry_in_s must be a number 0..315360000");
}

// --- parse_release ----------------------------------------------------------------------------

TEST(ParseRelease, DelayDefaultsToZeroAndIsANonNegativeNumber) {
  EXPECT_EQ(parse_release(body(R"({"lease_token":"t"})"))->delay, 0us);
  EXPECT_EQ(parse_release(body(R"({"lease_token":"t","delay_s":1.5})"))->delay, 1500ms);
  EXPECT_EQ(parse_release(body(R"({"lease_token":"t","delay_s":0})"))->delay, 0us);
  expect_error_for_each(parse_release,
                        {R"({"lease_token":"t","delay_s":-0.5})", R"({"lease_token":"t","delay_s":"1"})",
                         R"({"lease_token":"t","delay_s":1e300})"},
                        "delay_s must be a number 0..315360000");
}

// --- unknown fields ---------------------------------------------------------------------------

TEST(ParseLeaseBodies, UnknownFieldsAreRefusedNamingThem) {
  expect_error_for_each(parse_fetch, {R"({"queues":["q"],"callback_url":"x"})"},
                        "unknown field \"callback_url\" (known: queues, worker_id, count, wait_s, lease_s)");
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","extend":30})"},
                        "unknown field \"extend\" (known: lease_token, progress, checkpoint, extend_s)");
  expect_error_for_each(parse_complete, {R"({"lease_token":"t","results":{}})"},
                        "unknown field \"results\" (known: lease_token, result, progress)");
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","retry_in":5})"},
                        "unknown field \"retry_in\" (known: lease_token, error, retry_in_s)");
  expect_error_for_each(parse_release, {R"({"lease_token":"t","delay":5})"},
                        "unknown field \"delay\" (known: lease_token, delay_s)");
  expect_error_for_each([](json::value const& v) { return parse_complete_batch(v); },
                        {R"({"jobs":[{"id":"a","lease_token":"t"}],"wait":true})"},
                        "unknown field \"wait\" (known: jobs)");
  expect_error_for_each([](json::value const& v) { return parse_complete_batch(v); },
                        {R"({"jobs":[{"id":"a","lease_token":"t"},{"id":"b","lease_token":"t","reslt":1}]})"},
                        "unknown field \"jobs[1].reslt\" (known: id, lease_token, result, progress)");
}

TEST(ParseLeaseBodies, UnknownFieldsOfProgressAndErrorAreNamedWithTheirPath) {
  expect_error_for_each(parse_heartbeat, {R"({"lease_token":"t","progress":{"percent":5,"eta_s":10}})"},
                        "unknown field \"progress.eta_s\" (known: percent, stage, message, current, total)");
  expect_error_for_each(parse_fail, {R"({"lease_token":"t","error":{"message":"m","retriable":false}})"},
                        "unknown field \"error.retriable\" (known: message, code, retryable)");
}

TEST(ParseLeaseBodies, ResultAndCheckpointKeepWhateverFieldsTheyHold) {
  EXPECT_EQ(parse_complete(body(R"({"lease_token":"t","result":{"callback_url":"x","n":0.1}})"))->result,
            R"({"callback_url":"x","n":0.1})");
  EXPECT_EQ(parse_heartbeat(body(R"({"lease_token":"t","checkpoint":{"extend":1.308}})"))->checkpoint,
            R"({"extend":1.308})");
}

}  // namespace
}  // namespace corral::wire
