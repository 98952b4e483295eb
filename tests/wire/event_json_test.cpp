#include "wire/event_json.hpp"

#include "wire/event_query.hpp"
#include "wire/json_text.hpp"

#include "support/has_substr.hpp"
#include "support/results.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace corral::wire {
namespace {

namespace json = boost::json;
using test::error_of;
using test::must;

core::JobEvent completed_event() {
  core::JobEvent e;
  e.seq = 42;
  e.kind = core::JobEventKind::completed;
  e.at = core::from_unix_micros(1'800'000'000'123'456);
  e.job_id = "job_1";
  e.queue = "mail";
  e.type = "email.send";
  e.owner = "ana";
  e.priority = 10;
  e.status = core::JobState::completed;
  e.attempt = 2;
  e.worker_id = "w7";
  e.trace_id = "0af7651916cd43dd8448eb211c80319c";
  e.result = R"({"sent":true,"ratio":0.1})";
  e.run_time = core::Micros(1'500'000);
  return e;
}

TEST(EventJson, CarriesTheJobsFieldsAndWhatTheKindCarriesAndLeavesOutWhatDoesNotApply) {
  EXPECT_EQ(to_json_text(completed_event()),
            R"({"kind":"completed","seq":42,"job_id":"job_1","queue":"mail","type":"email.send","owner":"ana",)"
            R"("priority":10,"status":"completed","attempt":2,"worker_id":"w7",)"
            R"("trace_id":"0af7651916cd43dd8448eb211c80319c","at":"2027-01-15T08:00:00.123456Z",)"
            R"("result":{"sent":true,"ratio":0.1},"run_time_s":1.5})");
}

TEST(EventJson, AbsentOwnerWorkerAndTraceAreNullAndProgressErrorRunAtAndQueueWaitAppearWhenSet) {
  core::JobEvent e;
  e.seq = 1;
  e.kind = core::JobEventKind::retrying;
  e.job_id = "job_2";
  e.status = core::JobState::retrying;
  e.progress = core::Progress{50, std::string("upload"), std::nullopt, 5, 10};
  e.error = core::JobError{"boom", "it broke", true};
  e.run_at = core::from_unix_micros(0);
  e.queue_wait = core::Micros(250'000);
  auto const o = json::parse(to_json_text(e)).as_object();
  EXPECT_TRUE(o.at("owner").is_null());
  EXPECT_TRUE(o.at("worker_id").is_null());
  EXPECT_TRUE(o.at("trace_id").is_null());
  EXPECT_EQ(serialize_json(o.at("progress")), R"({"percent":50,"stage":"upload","message":null,"current":5,"total":10})");
  EXPECT_EQ(serialize_json(o.at("error")), R"({"code":"boom","message":"it broke","retryable":true})");
  EXPECT_EQ(o.at("run_at"), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(o.at("queue_wait_s").to_number<double>(), 0.25);
  EXPECT_FALSE(o.contains("result"));
  EXPECT_FALSE(o.contains("run_time_s"));
}

TEST(EventJson, AResultThatIsNotJsonIsAStringAndStringsAreEscaped) {
  auto e = completed_event();
  e.result = "not json";
  e.job_id = "job_\"q\"";
  auto const o = json::parse(to_json_text(e)).as_object();
  EXPECT_EQ(o.at("result"), "not json");
  EXPECT_EQ(o.at("job_id"), "job_\"q\"");
}

TEST(SseMessage, AnEventIsItsSeqItsKindAndItsJson) {
  std::string out;
  append_sse_event(out, completed_event());
  EXPECT_EQ(out, "id: 42\nevent: completed\ndata: " + to_json_text(completed_event()) + "\n\n");
}

TEST(SseMessage, IsIdEventAndOneDataLineEndedByABlankLine) {
  std::string out;
  append_sse_message(out, 7, "started", R"({"a":1})");
  EXPECT_EQ(out, "id: 7\nevent: started\ndata: {\"a\":1}\n\n");
  out.clear();
  append_sse_message(out, 9, "", "");
  EXPECT_EQ(out, "id: 9\n\n") << "a position alone";
  out.clear();
  append_sse_message(out, std::nullopt, "gap", "{}");
  EXPECT_EQ(out, "event: gap\ndata: {}\n\n");
  out.clear();
  append_sse_comment(out, "keep-alive");
  EXPECT_EQ(out, ": keep-alive\n\n");
}

TEST(ParseEventQuery, FiltersRepeatOrListValuesWithCommas) {
  QueryParams q{{"queue", "a"}, {"queue", "b,c"}, {"type", "t1,,t2"}, {"owner", "ana"}, {"kind", "started,completed"},
                {"kind", "failed"}, {"last_event_id", "12"}, {"stats", "1"}};
  auto const query = must(parse_event_query(q));
  EXPECT_EQ(query.filter.queues, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(query.filter.types, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(query.filter.owners, (std::vector<std::string>{"ana"}));
  EXPECT_EQ(query.filter.kinds, (std::vector<core::JobEventKind>{core::JobEventKind::started,
                                                                 core::JobEventKind::completed,
                                                                 core::JobEventKind::failed}));
  EXPECT_EQ(query.last_event_id, 12);
  EXPECT_TRUE(query.stats);
}

TEST(ParseEventQuery, RefusesUnknownKindsParametersAndMalformedValues) {
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"kind", "started,done"}})), "kind must be one of"));
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"kind", "done"}})), "\"done\""));
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"from", "1"}})), "unknown query parameter \"from\""));
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"queue", "bad queue"}})), "queue"));
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"last_event_id", "-1"}})), "last_event_id"));
  EXPECT_TRUE(test::has_substr(error_of(parse_event_query({{"stats", "yes"}})), "stats"));
  EXPECT_TRUE(test::has_substr(error_of(parse_job_event_query({{"kind", "started"}}, "job_1")),
                               "unknown query parameter \"kind\""));
  EXPECT_TRUE(test::has_substr(error_of(parse_last_event_id("12a", "Last-Event-ID")), "Last-Event-ID"));
}

TEST(EventFilter, PassesAnEventThatMatchesOneValueOfEveryFilterGiven) {
  auto const e = completed_event();
  EXPECT_TRUE(EventFilter{}.matches(e));
  EXPECT_TRUE((EventFilter{{"x", "mail"}, {}, {}, {}, {}}).matches(e));
  EXPECT_FALSE((EventFilter{{"x"}, {}, {}, {}, {}}).matches(e));
  EXPECT_FALSE((EventFilter{{"mail"}, {"other"}, {}, {}, {}}).matches(e));
  EXPECT_TRUE((EventFilter{{}, {}, {"ana"}, {core::JobEventKind::completed}, {}}).matches(e));
  EXPECT_FALSE((EventFilter{{}, {}, {}, {core::JobEventKind::started}, {}}).matches(e));
  auto without_owner = e;
  without_owner.owner.reset();
  EXPECT_FALSE((EventFilter{{}, {}, {"ana"}, {}, {}}).matches(without_owner));
  EXPECT_TRUE((EventFilter{{}, {}, {}, {}, std::string("job_1")}).matches(e));
  EXPECT_FALSE((EventFilter{{}, {}, {}, {}, std::string("job_2")}).matches(e));
}

}  // namespace
}  // namespace corral::wire
