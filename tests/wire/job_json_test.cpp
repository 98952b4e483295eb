#include "wire/job_json.hpp"

#include "support/has_substr.hpp"
#include "support/job_fixtures.hpp"
#include "wire/json_text.hpp"
#include "wire/time_format.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <limits>

namespace corral::wire {
namespace {

namespace json = boost::json;
using test::every_field_set;
using test::has_substr;

// What the API leaves out: each attempt's lease token and length, and the estimate's samples
// (it shows eta_s), which only storage keeps.
core::Job without_attempt_leases(core::Job job) {
  for (core::Attempt& a : job.attempts) {
    a.lease_token.clear();
    a.lease = core::Micros(0);
  }
  job.estimate = core::ProgressEstimate{};
  return job;
}

// The fixture's JSON-text fields are in Boost.JSON's own serialized form, so the text survives the
// trip unchanged.
TEST(JobJson, FullyPopulatedJobSurvivesToJsonAndBackExceptAttemptLeases) {
  core::Job job = every_field_set();
  auto back = job_from_json(to_json(job, true));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, without_attempt_leases(job));
}

TEST(JobJson, FullyPopulatedJobSurvivesAsText) {
  core::Job job = every_field_set();
  auto back = job_from_json(json::parse(json::serialize(to_json(job, true))));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, without_attempt_leases(job));
}

TEST(JobJson, LiveLeaseTokenAppearsOnlyWhenAskedFor) {
  core::Job job = every_field_set();
  EXPECT_FALSE(to_json(job).contains("lease_token"));
  EXPECT_EQ(to_json(job, true).at("lease_token"), "tok-2");
  auto back = job_from_json(to_json(job));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->lease_token, std::nullopt);
}

TEST(JobJson, AttemptLeaseTokensNeverAppearInTheJobObject) {
  json::object o = to_json(every_field_set(), true);
  for (json::value const& attempt : o.at("attempts").as_array()) {
    EXPECT_FALSE(attempt.as_object().contains("lease_token"));
  }
}

TEST(JobJson, WritesEveryFieldOfTheModelInOrder) {
  std::vector<std::string> keys;
  for (auto const& [key, value] : to_json(core::Job{})) keys.emplace_back(key);
  std::vector<std::string> expected = {
      "id", "type", "queue", "payload", "priority", "status", "attempt", "max_attempts", "run_at",
      "timeout_s", "max_run_s", "backoff", "retryable", "progress", "stages", "eta_s", "checkpoint", "result", "error",
      "attempts", "owner", "idempotency_key", "metadata", "trace_id", "cancel_requested", "lease_expires_at",
      "worker_id", "created_at", "updated_at", "started_at", "completed_at", "callback_url", "webhook",
      "schedule", "scheduled_for", "concurrency_key", "start_by", "depends_on", "on_parent_failure", "parents_left",
      "parents", "batch"};
  EXPECT_EQ(keys, expected);
}

TEST(JobJson, EtaIsTheEstimatesTimeLeftAsSeenWhenTheReplyIsWritten) {
  core::Job job = every_field_set();   // running, its estimate's end at done_at
  auto const at = *job.estimate.done_at - std::chrono::seconds(12);
  EXPECT_EQ(to_json(job, false, at).at("eta_s"), json::value(12));
  EXPECT_EQ(to_json_text(job, false, at), serialize_json(to_json(job, false, at)));
  job.status = core::JobState::completed;
  EXPECT_TRUE(to_json(job, false, at).at("eta_s").is_null());
}

TEST(JobJson, TheTextOfAJobWithoutParentsOrBatchIsTheObjectsToo) {
  core::Job job = every_field_set();
  job.depends_on.clear();
  job.parents.clear();
  job.batch.reset();
  EXPECT_EQ(to_json_text(job), serialize_json(to_json(job)));
  EXPECT_EQ(to_json_text(core::Job{}), serialize_json(to_json(core::Job{})));
}

TEST(JobJson, AbsentOptionalFieldsAreNull) {
  json::object o = to_json(core::Job{}, true);
  for (char const* key : {"max_run_s", "progress", "eta_s", "checkpoint", "result", "error", "owner", "idempotency_key",
                          "metadata", "lease_expires_at", "worker_id", "started_at", "completed_at", "lease_token"}) {
    EXPECT_TRUE(o.at(key).is_null()) << key;
  }
  EXPECT_TRUE(o.at("attempts").as_array().empty());
}

TEST(JobJson, JsonTextFieldsAreEmbeddedAsJsonNotStrings) {
  json::object o = to_json(every_field_set());
  EXPECT_EQ(o.at("payload"), json::parse(every_field_set().payload));
  EXPECT_EQ(o.at("checkpoint"), json::parse(R"({"offset":512})"));
  EXPECT_EQ(o.at("result"), json::parse(R"(["partial"])"));
  EXPECT_EQ(o.at("metadata"), json::parse(R"({"source":"test"})"));
}

TEST(JobJson, PayloadDeeperThanBoostsDefaultDepthIsStillEmbedded) {
  core::Job job;
  job.payload = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(to_json(job).at("payload").is_array());
}

TEST(JobJson, TimesAreRfc3339UtcAndStatesAndOutcomesAreNames) {
  json::object o = to_json(every_field_set());
  EXPECT_EQ(o.at("run_at").as_string(), format_rfc3339(test::micros(1'764'000'000'123'456)));
  EXPECT_EQ(o.at("status"), "running");
  EXPECT_EQ(o.at("attempts").as_array()[0].at("outcome"), "lease_expired");
  EXPECT_EQ(o.at("attempts").as_array()[0].at("attempt"), 1);
  EXPECT_TRUE(o.at("attempts").as_array()[1].at("ended_at").is_null());
}

TEST(JobJson, WholeNumberTimesAreWrittenAsIntegers) {
  core::Job job;
  job.timeout_s = 300;
  json::object o = to_json(job);
  EXPECT_TRUE(o.at("timeout_s").is_int64());
  EXPECT_EQ(serialize_json(o.at("timeout_s")), "300");
  EXPECT_EQ(o.at("backoff").at("jitter"), 0.1);
}

TEST(JobJson, QueueInfoListsCountsForEveryState) {
  api::QueueInfo q{.name = "mail", .paused = true, .counts = {1, 2, 3, 4, 5, 6, 7, 8}};
  EXPECT_EQ(json::value(to_json(q)), json::parse(R"({"name":"mail","paused":true,"counts":{"queued":1,
      "scheduled":2,"running":3,"retrying":4,"completed":5,"failed":6,"cancelled":7,"waiting":8},
      "max_running":null,"max_running_per_key":null,"push_url":null,"push_concurrency":null,"push_timeout_s":null})"));
  q.limits = {.max_running = 3, .max_running_per_key = 1};
  EXPECT_EQ(to_json(q).at("max_running"), json::value(3));
  EXPECT_EQ(to_json(q).at("max_running_per_key"), json::value(1));
}

TEST(JobJson, QueueInfoShowsThePushSettingsInEffectOnlyWhilePushed) {
  api::QueueInfo q{.name = "hooks"};
  q.push = {.url = std::nullopt, .concurrency = 4, .timeout_s = 2.5};
  EXPECT_TRUE(to_json(q).at("push_concurrency").is_null()) << "not pushed: nothing in effect";
  q.push.url = "http://127.0.0.1:9000/run";
  EXPECT_EQ(to_json(q).at("push_url"), json::value("http://127.0.0.1:9000/run"));
  EXPECT_EQ(to_json(q).at("push_concurrency"), json::value(4));
  EXPECT_EQ(to_json(q).at("push_timeout_s"), json::value(2.5));
  q.push = {.url = "http://127.0.0.1:9000/run"};
  EXPECT_EQ(to_json(q).at("push_concurrency"), json::value(8)) << "the default";
  EXPECT_EQ(to_json(q).at("push_timeout_s").to_number<double>(), 30.0) << "the default";
}

TEST(JobJson, ErrorIsCodeAndMessageUnderError) {
  core::Error e{core::Errc::stale_lease, "the lease is not live"};
  EXPECT_EQ(json::serialize(to_json(e)), R"({"error":{"code":"stale_lease","message":"the lease is not live"}})");
}

TEST(JobFromJson, RejectsNonObjectsMissingFieldsAndBadValues) {
  auto message_for = [](auto mutate) {
    json::value v = json::value(to_json(every_field_set()));
    mutate(v.as_object());
    auto job = job_from_json(v);
    return job ? std::string("<ok>") : job.error().message;
  };
  EXPECT_EQ(job_from_json(json::parse("[]")).error().message, "job must be a JSON object");
  EXPECT_EQ(message_for([](json::object& o) { o.erase("id"); }), "id is required");
  EXPECT_EQ(message_for([](json::object& o) { o["status"] = "lost"; }), "status is not a known value: lost");
  EXPECT_EQ(message_for([](json::object& o) { o["run_at"] = "yesterday"; }),
            "run_at must be an RFC 3339 time such as 2026-01-02T03:04:05Z");
  EXPECT_EQ(message_for([](json::object& o) { o["attempts"].as_array()[1].as_object()["outcome"] = 7; }),
            "attempts[1].outcome must be a string");
  EXPECT_EQ(message_for([](json::object& o) { o["backoff"].as_object()["jitter"] = "x"; }),
            "backoff.jitter must be a number");
  EXPECT_EQ(message_for([](json::object& o) { o["progress"].as_object()["stage"] = 1; }),
            "progress.stage must be a string");
}

api::ListCursor newest_at(std::int64_t seq) { return {api::ListSort::newest, seq}; }

TEST(Cursor, DecodesWhatItEncodesInEverySort) {
  for (std::int64_t seq : {std::int64_t{0}, std::int64_t{1}, std::int64_t{123456789},
                           std::numeric_limits<std::int64_t>::max(), std::int64_t{-5}}) {
    for (auto sort : {api::ListSort::newest, api::ListSort::oldest, api::ListSort::updated}) {
      api::ListCursor const c{sort, seq, sort == api::ListSort::updated ? std::int64_t{1'780'000'000'000'000} : 0};
      EXPECT_EQ(decode_cursor(encode_cursor(c)), c) << encode_cursor(c);
    }
  }
}

TEST(Cursor, IsUrlSafeText) {
  auto const max = std::numeric_limits<std::int64_t>::max();
  std::string c = encode_cursor({api::ListSort::updated, max, max});
  EXPECT_EQ(c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
  EXPECT_EQ(decode_cursor(c)->seq, max) << "the longest cursor is within the length accepted";
}

TEST(Cursor, NewestCursorsOfEarlierVersionsStillDecode) {
  EXPECT_EQ(decode_cursor("czo0Mg"), newest_at(42)) << "s:42";
}

TEST(Cursor, RejectsAnythingItDidNotProduce) {
  std::string good = encode_cursor(newest_at(42));
  ASSERT_EQ(good, "czo0Mg");
  for (std::string const& bad : {std::string(""), std::string("!!!!"), std::string("s:42"), good + "A",
                                 good.substr(0, good.size() - 1), std::string(100, 'A'),
                                 std::string("czo0Mh"),        // "s:42" with a stray trailing bit
                                 std::string("eDo0Mg"),        // "x:42"
                                 std::string("czowNDI"),       // "s:042"
                                 std::string("czo0MmE"),       // "s:42a"
                                 std::string("czo"),           // "s:"
                                 std::string("dTo0Mg"),        // "u:42": no updated_at
                                 std::string("dTp4OjQy")}) {   // "u:x:42"
    EXPECT_EQ(decode_cursor(bad), std::nullopt) << bad;
  }
}

// to_json_text writes the very document serialize_json(to_json(job)) writes, so clients cannot tell
// which of the two produced a reply.
TEST(JobJson, ToJsonTextIsTheTextOfToJson) {
  core::Job job = every_field_set();
  EXPECT_EQ(to_json_text(job), serialize_json(to_json(job)));
  EXPECT_EQ(to_json_text(job, true), serialize_json(to_json(job, true)));

  job.progress->message = "tab\there\nquote\" backslash\\ control\x01 ä";
  job.result = "not json {";   // stored text that does not parse is written as a string
  job.backoff.jitter = 0.1;    // a fraction
  job.attempts.clear();
  std::string appended = "[";
  append_json_text(appended, job, true);
  EXPECT_EQ(appended, "[" + serialize_json(to_json(job, true)));

  core::Job bare;
  bare.id = "job_x";
  bare.type = "t";
  EXPECT_EQ(to_json_text(bare, true), serialize_json(to_json(bare, true)));
}

// Numbers in replies read as people write them, never in Boost.JSON's 1E-1 form.
TEST(JobJson, FractionsInTheJobTextReadAsPeopleWriteThem) {
  core::Job job = every_field_set();
  job.timeout_s = 1.308405313;
  job.backoff.jitter = 0.1;
  job.progress->percent = 0.1;
  job.progress->current = 1e21;
  job.progress->total = 1e-7;
  std::string text = to_json_text(job);
  EXPECT_TRUE(has_substr(text, R"("timeout_s":1.308405313,)"));
  EXPECT_TRUE(has_substr(text, R"("jitter":0.1})"));
  EXPECT_TRUE(has_substr(text, R"("percent":0.1,)"));
  EXPECT_TRUE(has_substr(text, R"("current":1e+21,"total":1e-7})"));
  EXPECT_EQ(text, serialize_json(to_json(job)));
}

// Text stored before numbers were written this way holds Boost.JSON's form; it is rewritten on the
// way out, and text without such numbers is copied as it is.
TEST(JobJson, StoredTextInBoostsNumberFormIsRewritten) {
  core::Job job = every_field_set();
  job.payload = R"({"amount":1E-1,"ratio":1.308E0,"n":[3E2,5],"s":"1E-1"})";
  job.result = R"({"big":1E21})";
  job.checkpoint = R"({"kept": 1e-1})";   // not Corral's form, but not Boost's either: copied
  std::string text = to_json_text(job);
  EXPECT_TRUE(has_substr(text, R"("payload":{"amount":0.1,"ratio":1.308,"n":[300,5],"s":"1E-1"},)"));
  EXPECT_TRUE(has_substr(text, R"("result":{"big":1e+21},)"));
  EXPECT_TRUE(has_substr(text, R"("checkpoint":{"kept": 1e-1},)"));
}

}  // namespace
}  // namespace corral::wire
