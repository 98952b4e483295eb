#include "wire/request_json.hpp"

#include "support/request_bodies.hpp"
#include "support/results.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace corral::wire {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

using test::body;
using test::error_of;

struct Case {
  char const* body;
  char const* error;
};

// --- parse_body -------------------------------------------------------------------------------

TEST(ParseBody, EmptyOrWhitespaceBodyIsAnEmptyObject) {
  for (char const* text : {"", " ", "\r\n\t "}) {
    auto v = parse_body(text);
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, json::object());
  }
}

TEST(ParseBody, MalformedJsonIsInvalidJson) {
  for (char const* text : {"{", "{\"a\":}", "[1,]", "{\"a\":1,}", "// note\n{}", "/* c */{}", "{} x", "nul",
                           "{'a':1}", "{\"a\":01}", "\"\\x\""}) {
    auto v = parse_body(text);
    ASSERT_FALSE(v) << text;
    EXPECT_EQ(v.error().code, core::Errc::invalid_json) << text;
    EXPECT_TRUE(v.error().message.starts_with("body is not valid JSON")) << v.error().message;
  }
}

TEST(ParseBody, InvalidUtf8IsInvalidJson) {
  for (char const* text : {"{\"a\":\"\xff\"}", "{\"\xc3\":1}", "\"\xed\xa0\x80\""}) {
    EXPECT_EQ(parse_body(text).error().code, core::Errc::invalid_json);
  }
  EXPECT_TRUE(parse_body("{\"a\":\"caf\xc3\xa9\"}"));
}

TEST(ParseBody, NestingUpToTheLimitParsesAndOneDeeperIsInvalidJson) {
  auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_TRUE(parse_body(nested(64)));
  auto too_deep = parse_body(nested(65));
  EXPECT_EQ(error_of(too_deep), "invalid_json: JSON nesting too deep: more than 64 levels (json_max_depth)");
  EXPECT_TRUE(parse_body(nested(3), {.max_depth = 3}));
  EXPECT_EQ(parse_body(nested(4), {.max_depth = 3}).error().code, core::Errc::invalid_json);
}

TEST(ParseBody, StringOverTheLimitIsInvalidArgumentNamingWhereItIs) {
  JsonLimits limits{.max_string_bytes = 8};
  EXPECT_TRUE(parse_body(R"({"payload":{"x":"12345678"}})", limits));
  EXPECT_EQ(error_of(parse_body(R"({"payload":{"x":"123456789"}})", limits)),
            "invalid_argument: payload.x must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"({"jobs":[{},{"type":"123456789"}]})", limits)),
            "invalid_argument: jobs[1].type must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"("123456789")", limits)),
            "invalid_argument: body must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"({"payload":{"123456789":1}})", limits)),
            "invalid_argument: a key in payload must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"([1,"123456789"])", limits)),
            "invalid_argument: body[1] must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"({"jobs":[{"payload":{"ok":"1"}},{"payload":{"a":[{"b":"123456789"}]}}]})", limits)),
            "invalid_argument: jobs[1].payload.a[0].b must be at most 8 bytes (json_max_string_bytes)");
  EXPECT_EQ(error_of(parse_body(R"({"jobs":[{},{"123456789":1}]})", limits)),
            "invalid_argument: a key in jobs[1] must be at most 8 bytes (json_max_string_bytes)");
}

TEST(ParseBody, NumberTooLargeForADoubleIsInvalidArgumentNamingIt) {
  EXPECT_EQ(error_of(parse_body(R"({"delay_s":1e400})")), "invalid_argument: delay_s must be a finite number");
  EXPECT_EQ(error_of(parse_body(R"({"payload":[-1e999]})")), "invalid_argument: payload[0] must be a finite number");
}

TEST(ParseBody, RepeatedKeyKeepsTheLastValue) {
  EXPECT_EQ(body(R"({"a":1,"a":2})").at("a"), 2);
}

TEST(ParseRequests, EveryBodyParserRequiresAnObject) {
  json::value array = body("[1]");
  std::string expected = "invalid_argument: body must be a JSON object";
  EXPECT_EQ(error_of(parse_enqueue(array)), expected);
  EXPECT_EQ(error_of(parse_enqueue_batch(array)), expected);
  EXPECT_EQ(error_of(parse_fetch(array)), expected);
  EXPECT_EQ(error_of(parse_heartbeat(array)), expected);
  EXPECT_EQ(error_of(parse_complete(array)), expected);
  EXPECT_EQ(error_of(parse_fail(array)), expected);
  EXPECT_EQ(error_of(parse_release(array)), expected);
  EXPECT_EQ(error_of(parse_fetch(body("\"text\""))), expected);
  EXPECT_EQ(error_of(parse_fetch(body("null"))), expected);
}

// --- parse_enqueue ----------------------------------------------------------------------------

TEST(ParseEnqueue, TypeAloneLeavesEveryOptionUnset) {
  auto req = parse_enqueue(body(R"({"type":"email"})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->type, "email");
  EXPECT_EQ(req->payload, "{}");
  EXPECT_EQ(req->queue, std::nullopt);
  EXPECT_EQ(req->priority, std::nullopt);
  EXPECT_EQ(req->run_at, std::nullopt);
  EXPECT_EQ(req->max_attempts, std::nullopt);
  EXPECT_EQ(req->backoff.jitter, std::nullopt);
  EXPECT_EQ(req->metadata, std::nullopt);
}

TEST(ParseEnqueue, ReadsEveryField) {
  auto req = parse_enqueue(body(R"({"type":"email","queue":"mail","payload":{"to":"a"},"priority":-7,
      "run_at":"2026-01-01T02:00:00.5+02:00","delay_s":1.5,"max_attempts":4,"timeout_s":30.5,"max_run_s":90,
      "backoff":{"initial_s":0.5,"multiplier":3,"max_s":60,"jitter":0.2},"retryable":false,
      "idempotency_key":"k-1","owner":"team","metadata":{"m":[1]}})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->queue, "mail");
  EXPECT_EQ(req->payload, R"({"to":"a"})");
  EXPECT_EQ(req->priority, -7);
  EXPECT_EQ(req->run_at, core::TimePoint(std::chrono::sys_days(2026y / 1 / 1)) + 500ms);
  EXPECT_EQ(req->delay_s, 1.5);
  EXPECT_EQ(req->max_attempts, 4);
  EXPECT_EQ(req->timeout_s, 30.5);
  EXPECT_EQ(req->max_run_s, 90);
  EXPECT_EQ(req->backoff.initial_s, 0.5);
  EXPECT_EQ(req->backoff.multiplier, 3);
  EXPECT_EQ(req->backoff.max_s, 60);
  EXPECT_EQ(req->backoff.jitter, 0.2);
  EXPECT_EQ(req->retryable, false);
  EXPECT_EQ(req->idempotency_key, "k-1");
  EXPECT_EQ(req->owner, "team");
  EXPECT_EQ(req->metadata, R"({"m":[1]})");
}

TEST(ParseEnqueue, PayloadMayBeAnyJsonValue) {
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","payload":[1,"a"]})"))->payload, R"([1,"a"])");
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","payload":"text"})"))->payload, R"("text")");
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","payload":5})"))->payload, "5");
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","payload":false})"))->payload, "false");
}

TEST(ParseEnqueue, NullOptionalFieldsCountAsAbsent) {
  auto req = parse_enqueue(body(R"({"type":"t","queue":null,"payload":null,"priority":null,"run_at":null,
      "delay_s":null,"max_attempts":null,"timeout_s":null,"max_run_s":null,"backoff":null,"retryable":null,
      "idempotency_key":null,"owner":null,"metadata":null})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->payload, "{}");
  EXPECT_EQ(req->queue, std::nullopt);
  EXPECT_EQ(req->priority, std::nullopt);
  EXPECT_EQ(req->metadata, std::nullopt);
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","backoff":{"jitter":null}})"))->backoff.jitter, std::nullopt);
}

TEST(ParseEnqueue, PriorityIsAnIntegerInRangeOrAName) {
  auto priority = [](char const* value) {
    return parse_enqueue(body(std::string(R"({"type":"t","priority":)") + value + "}"));
  };
  EXPECT_EQ(priority("1000")->priority, 1000);
  EXPECT_EQ(priority("-1000")->priority, -1000);
  EXPECT_EQ(priority("5.0")->priority, 5);
  EXPECT_EQ(priority(R"("low")")->priority, -10);
  EXPECT_EQ(priority(R"("normal")")->priority, 0);
  EXPECT_EQ(priority(R"("high")")->priority, 10);
  for (char const* bad : {"1001", "-1001", "5.5", R"("urgent")", R"("5")", "true", "[]", "{}", "1e10",
                          "18446744073709551615"}) {
    EXPECT_EQ(error_of(priority(bad)),
              "invalid_argument: priority must be an integer -1000..1000 or one of low, normal, high")
        << bad;
  }
}

TEST(ParseEnqueue, MissingTypeIsNamed) {
  EXPECT_EQ(error_of(parse_enqueue(body("{}"))), "invalid_argument: type is required");
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":null})"))), "invalid_argument: type is required");
}

TEST(ParseEnqueue, EachFieldOfTheWrongTypeIsNamed) {
  Case const cases[] = {
      {R"({"type":5})", "type must be a string"},
      {R"({"type":"t","queue":1})", "queue must be a string"},
      {R"({"type":"t","run_at":5})", "run_at must be an RFC 3339 time such as 2026-01-02T03:04:05Z"},
      {R"({"type":"t","run_at":"tomorrow"})", "run_at must be an RFC 3339 time such as 2026-01-02T03:04:05Z"},
      {R"({"type":"t","run_at":"2026-02-30T00:00:00Z"})", "run_at must be an RFC 3339 time such as 2026-01-02T03:04:05Z"},
      {R"({"type":"t","delay_s":"5"})", "delay_s must be a number"},
      {R"({"type":"t","max_attempts":2.5})", "max_attempts must be an integer"},
      {R"({"type":"t","max_attempts":"3"})", "max_attempts must be an integer"},
      {R"({"type":"t","max_attempts":2147483648})", "max_attempts must be an integer"},
      {R"({"type":"t","timeout_s":true})", "timeout_s must be a number"},
      {R"({"type":"t","max_run_s":"x"})", "max_run_s must be a number"},
      {R"({"type":"t","backoff":1})", "backoff must be an object"},
      {R"({"type":"t","backoff":{"initial_s":"1"}})", "backoff.initial_s must be a number"},
      {R"({"type":"t","backoff":{"multiplier":[]}})", "backoff.multiplier must be a number"},
      {R"({"type":"t","backoff":{"max_s":{}}})", "backoff.max_s must be a number"},
      {R"({"type":"t","backoff":{"jitter":false}})", "backoff.jitter must be a number"},
      {R"({"type":"t","retryable":"yes"})", "retryable must be true or false"},
      {R"({"type":"t","retryable":1})", "retryable must be true or false"},
      {R"({"type":"t","idempotency_key":5})", "idempotency_key must be a string"},
      {R"({"type":"t","owner":[]})", "owner must be a string"},
      {R"({"type":"t","metadata":"x"})", "metadata must be an object"},
      {R"({"type":"t","metadata":[1]})", "metadata must be an object"},
  };
  for (Case const& c : cases) {
    EXPECT_EQ(error_of(parse_enqueue(body(c.body))), std::string("invalid_argument: ") + c.error) << c.body;
  }
}

TEST(ParseEnqueue, FirstBadFieldInReadingOrderIsTheOneNamed) {
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"owner":1,"queue":2,"type":"t"})"))),
            "invalid_argument: queue must be a string");
}

TEST(ParseEnqueue, InfiniteNumberBuiltInMemoryIsRejected) {
  json::object o{{"type", "t"}, {"delay_s", std::numeric_limits<double>::infinity()}};
  EXPECT_EQ(error_of(parse_enqueue(o)), "invalid_argument: delay_s must be a number");
  o["delay_s"] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(error_of(parse_enqueue(o)), "invalid_argument: delay_s must be a number");
}

TEST(ParseEnqueue, RangesAndNameSyntaxAreLeftToCoreMakeJob) {
  auto req = parse_enqueue(body(R"({"type":"bad name","max_attempts":0,"timeout_s":-1,"delay_s":-1,
      "backoff":{"jitter":7}})"));
  EXPECT_TRUE(req) << req.error().message;
}

TEST(ParseEnqueue, UnknownFieldsAreRefusedNamingThem) {
  std::string const known =
      " (known: type, queue, payload, priority, run_at, delay_s, max_attempts, timeout_s, max_run_s, backoff, "
      "retryable, idempotency_key, owner, metadata, callback_url, concurrency_key, start_by, start_within_s, "
      "depends_on, on_parent_failure)";
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":"t","priorty":"high"})"))),
            "invalid_argument: unknown field \"priorty\"" + known);
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":"t","Type":"t"})"))), "invalid_argument: unknown field \"Type\"" + known)
      << "names are case-sensitive";
}

TEST(ParseEnqueue, DependsOnIsAnArrayOfJobIdsWithAPolicyForAFailedParent) {
  auto req = parse_enqueue(body(R"({"type":"t","depends_on":["job_1","job_2"],"on_parent_failure":"run"})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->depends_on, (std::vector<std::string>{"job_1", "job_2"}));
  EXPECT_EQ(req->on_parent_failure, core::OnParentFailure::run);
  for (auto const* text : {R"({"type":"t","depends_on":"job_1"})", R"({"type":"t","depends_on":[1]})",
                           R"({"type":"t","depends_on":[""]})"}) {
    EXPECT_EQ(error_of(parse_enqueue(body(text))).rfind("invalid_argument: depends_on", 0), 0u) << text;
  }
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":"t","depends_on":["a"],"on_parent_failure":"skip"})"))),
            "invalid_argument: on_parent_failure must be one of cancel, run");
}

TEST(ParseEnqueueBatch, ABatchIsNamedAndCarriesTheJobsToRunWhenItIsDone) {
  auto reqs = parse_enqueue_batch(body(R"({"jobs":[{"type":"t"},{"type":"t"}],
      "batch":{"id":"import-42","on_success":{"type":"notify"},"on_complete":{"type":"cleanup","queue":"q"}}})"));
  ASSERT_TRUE(reqs) << reqs.error().message;
  ASSERT_EQ(reqs->size(), 4u);
  for (auto const& r : *reqs) EXPECT_EQ(r.batch, "import-42");
  EXPECT_EQ((*reqs)[0].batch_role, core::BatchRole::member);
  EXPECT_EQ((*reqs)[2].batch_role, core::BatchRole::on_success);
  EXPECT_EQ((*reqs)[2].type, "notify");
  EXPECT_EQ((*reqs)[3].batch_role, core::BatchRole::on_complete);

  auto unnamed = parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"batch":{}})"));
  ASSERT_TRUE(unnamed);
  EXPECT_EQ(unnamed->front().batch, "");
  EXPECT_FALSE(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}]})"))->front().batch);

  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"batch":{"id":"a b"}})"))),
            "invalid_argument: batch.id must be 1..128 characters of A-Z a-z 0-9 . _ : -");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"batch":{"when":1}})"))).rfind(
                "invalid_argument: unknown field \"batch.when\"", 0),
            0u);
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"batch":{"on_success":{"type":"n","depends_on":["x"]}}})"))),
            "invalid_argument: batch.on_success.depends_on is the batch's jobs; it cannot be given");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"batch":[]})"))),
            "invalid_argument: batch must be a JSON object");
}

TEST(ParseEnqueue, ReadsTheConcurrencyKeyAndTheStartByDeadline) {
  auto req = parse_enqueue(body(R"({"type":"t","concurrency_key":"c-1","start_by":"2030-01-01T00:00:00Z"})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->concurrency_key, "c-1");
  EXPECT_EQ(req->start_by, core::from_unix_micros(1'893'456'000'000'000));
  EXPECT_EQ(test::must(parse_enqueue(body(R"({"type":"t","start_within_s":2.5})"))).start_within_s, 2.5);
}

TEST(ParseEnqueue, ReadsTheCallbackUrl) {
  auto req = parse_enqueue(body(R"({"type":"t","callback_url":"http://127.0.0.1:8080/done"})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->callback_url, "http://127.0.0.1:8080/done");
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":"t","callback_url":42})"))),
            "invalid_argument: callback_url must be a string");
}

TEST(ParseEnqueue, AnUnknownBackoffFieldIsNamedWithItsPath) {
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"type":"t","backoff":{"initial_s":1,"jiter":0.5}})"))),
            "invalid_argument: unknown field \"backoff.jiter\" (known: initial_s, multiplier, max_s, jitter)");
}

TEST(ParseEnqueue, AWrongFieldIsNamedBeforeAnUnknownOne) {
  EXPECT_EQ(error_of(parse_enqueue(body(R"({"callback_url":1,"type":5})"))), "invalid_argument: type must be a string");
}

TEST(ParseEnqueue, FreeFormValuesKeepWhateverFieldsTheyHold) {
  auto req = parse_enqueue(body(R"({"type":"t","payload":{"callback_url":"x","backoff":{"jiter":1}},
      "metadata":{"depends_on":["a"]}})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->payload, R"({"callback_url":"x","backoff":{"jiter":1}})");
  EXPECT_EQ(req->metadata, R"({"depends_on":["a"]})");
}

// The payload is stored as text and sent back as it is: its numbers as people write them, not in
// Boost.JSON's form (1E-1).
TEST(ParseEnqueue, NumbersInThePayloadAreStoredAsPeopleWriteThem) {
  auto req = parse_enqueue(body(R"({"type":"t","payload":{"amount":0.1,"ratio":1.308,"precise":1.308405313,
      "whole":30.0,"big":1e21,"large":1.5e20,"tiny":1e-7,"small":0.000001,"negative":-2.5,"n":7}})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->payload, R"({"amount":0.1,"ratio":1.308,"precise":1.308405313,"whole":30,"big":1e+21,)"
                          R"("large":150000000000000000000,"tiny":1e-7,"small":0.000001,"negative":-2.5,"n":7})");
  EXPECT_EQ(parse_enqueue(body(R"({"type":"t","metadata":{"rate":0.25}})"))->metadata, R"({"rate":0.25})");
}

// --- parse_no_fields --------------------------------------------------------------------------

TEST(ParseNoFields, AnEmptyBodyOrObjectPassesAndAnyFieldIsRefused) {
  EXPECT_TRUE(parse_no_fields(body("")));
  EXPECT_TRUE(parse_no_fields(body("{}")));
  EXPECT_EQ(error_of(parse_no_fields(body(R"({"reason":"duplicate"})"))),
            "invalid_argument: unknown field \"reason\" (known: none)");
  EXPECT_EQ(error_of(parse_no_fields(body("[]"))), "invalid_argument: body must be a JSON object");
}

// --- parse_enqueue_batch ----------------------------------------------------------------------

std::string batch_of(std::size_t n) {
  std::string text = R"({"jobs":[)";
  for (std::size_t i = 0; i < n; ++i) text += std::string(i ? "," : "") + R"({"type":"t"})";
  return text + "]}";
}

TEST(ParseEnqueueBatch, AcceptsOneUpToTheMaximumJobs) {
  EXPECT_EQ(parse_enqueue_batch(body(batch_of(1)))->size(), 1u);
  EXPECT_EQ(parse_enqueue_batch(body(batch_of(1000)))->size(), 1000u);
  EXPECT_EQ(parse_enqueue_batch(body(batch_of(3)), 3)->size(), 3u);
}

TEST(ParseEnqueueBatch, NoJobsOrTooManyIsRejected) {
  std::string expected = "invalid_argument: jobs must hold 1..1000 jobs";
  EXPECT_EQ(error_of(parse_enqueue_batch(body(batch_of(0)))), expected);
  EXPECT_EQ(error_of(parse_enqueue_batch(body(batch_of(1001)))), expected);
  EXPECT_EQ(error_of(parse_enqueue_batch(body("{}"))), expected);
  EXPECT_EQ(error_of(parse_enqueue_batch(body(batch_of(4)), 3)), "invalid_argument: jobs must hold 1..3 jobs");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":{"type":"t"}})"))), "invalid_argument: jobs must be an array");
}

TEST(ParseEnqueueBatch, ErrorsNameTheIndexOfTheFirstBadJob) {
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"},5]})"))),
            "invalid_argument: jobs[1] must be a JSON object");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"},{"type":"t"},{"type":"t","priority":"x"},{}]})"))),
            "invalid_argument: jobs[2].priority must be an integer -1000..1000 or one of low, normal, high");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"},{}]})"))),
            "invalid_argument: jobs[1].type is required");
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t","backoff":{"jitter":"x"}}]})"))),
            "invalid_argument: jobs[0].backoff.jitter must be a number");
}

TEST(ParseEnqueueBatch, UnknownFieldsAreNamedWithTheirPath) {
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"}],"atomic":false})"))),
            "invalid_argument: unknown field \"atomic\" (known: jobs, batch)");
  EXPECT_TRUE(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t"},{"type":"t","dependson":"x"}]})")))
                  .starts_with("invalid_argument: unknown field \"jobs[1].dependson\" (known: type, "));
  EXPECT_EQ(error_of(parse_enqueue_batch(body(R"({"jobs":[{"type":"t","backoff":{"max":1}}]})"))),
            "invalid_argument: unknown field \"jobs[0].backoff.max\" (known: initial_s, multiplier, max_s, jitter)");
}

TEST(ParseEnqueueBatch, SameIdempotencyKeyTwiceNamesBothJobs) {
  auto jobs = parse_enqueue_batch(body(R"({"jobs":[{"type":"t","idempotency_key":"a"},{"type":"t"},
      {"type":"t","idempotency_key":"b"},{"type":"t","idempotency_key":"a"}]})"));
  EXPECT_EQ(error_of(jobs), "invalid_argument: jobs[0].idempotency_key and jobs[3].idempotency_key are the same; "
                            "a key may appear once in a batch");
}

TEST(ParseEnqueueBatch, DistinctKeysAndJobsWithoutKeysAreAccepted) {
  auto jobs = parse_enqueue_batch(body(R"({"jobs":[{"type":"t","idempotency_key":"a"},{"type":"t"},{"type":"t"},
      {"type":"t","idempotency_key":"b"}]})"));
  ASSERT_TRUE(jobs) << jobs.error().message;
  EXPECT_EQ((*jobs)[3].idempotency_key, "b");
}

}  // namespace
}  // namespace corral::wire
