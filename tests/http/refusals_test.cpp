// What the server does not support is refused, never ignored: an unknown field in a body, an
// unknown query parameter, fields sent to an action that reads none, a request to switch to
// WebSocket. Each gets 400 invalid_argument naming what was refused, and changes nothing.
#include "http/api_helpers.hpp"
#include "http/raw_http.hpp"

namespace corral::test {
namespace {

class Refusals : public ApiTest {};

TEST_F(Refusals, AnUnknownBodyFieldIs400NamingItAndMakesNoJob) {
  // depends_on has its own refusal (limits_test.cpp), cron and schedule theirs (schedules_test.cpp).
  for (std::string field : {"push_url", "retry_policy", "priorty"}) {
    auto reply = api().post("/api/v1/jobs", json::object{{"type", "t"}, {field, "x"}});
    EXPECT_TRUE(is_error(reply, 400, "invalid_argument", {"unknown field", "\"" + field + "\""}));
  }
  json::array jobs{json::object{{"type", "t"}}, json::object{{"type", "t"}, {"priorty", "x"}}};
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", jobs}}), 400, "invalid_argument",
                       {"\"jobs[1].priorty\""}));
  EXPECT_TRUE(list_jobs(api()).at("jobs").as_array().empty()) << "no refused enqueue made a job";
}

TEST_F(Refusals, AnUnknownFieldInAWorkersCallIs400AndLeavesTheJobAsItWas) {
  auto lease = start_job(api());
  auto const before = get_job(api(), lease.id);
  EXPECT_TRUE(is_error(api().post("/api/v1/fetch", json::object{{"queues", json::array{"q"}}, {"priorty", 1}}), 400,
                       "invalid_argument", {"\"priorty\""}));
  EXPECT_TRUE(is_error(heartbeat(api(), lease, {{"extend", 30}}), 400, "invalid_argument", {"\"extend\""}));
  EXPECT_TRUE(is_error(act(api(), lease.id, "complete", {{"lease_token", lease.token}, {"results", 1}}), 400,
                       "invalid_argument", {"\"results\""}));
  EXPECT_TRUE(is_error(act(api(), lease.id, "release", {{"lease_token", lease.token}, {"delay", 5}}), 400,
                       "invalid_argument", {"\"delay\""}));
  json::array items{json::object{{"id", lease.id}, {"lease_token", lease.token}, {"reslt", 1}}};
  EXPECT_TRUE(is_error(api().post("/api/v1/complete", json::object{{"jobs", items}}), 400, "invalid_argument",
                       {"\"jobs[0].reslt\""}));
  EXPECT_EQ(get_job(api(), lease.id), before);
}

TEST_F(Refusals, ATypoInAFixedShapeNestedObjectIsNamedWithItsPath) {
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"backoff", {{"jiter", 0.5}}}}), 400,
                       "invalid_argument", {"\"backoff.jiter\""}));
  auto lease = start_job(api());
  auto const before = get_job(api(), lease.id);
  EXPECT_TRUE(is_error(heartbeat(api(), lease, {{"progress", {{"percent", 5}, {"eta_s", 10}}}}), 400,
                       "invalid_argument", {"\"progress.eta_s\""}));
  EXPECT_TRUE(is_error(act(api(), lease.id, "fail",
                           {{"lease_token", lease.token}, {"error", {{"message", "m"}, {"retriable", false}}}}),
                       400, "invalid_argument", {"\"error.retriable\""}));
  EXPECT_EQ(get_job(api(), lease.id), before);
}

TEST_F(Refusals, FreeFormValuesKeepWhateverFieldsTheyHold) {
  json::object payload{{"callback_url", "x"}, {"backoff", {{"jiter", 1}}}};
  auto job = enqueue(api(), {{"type", "t"}, {"payload", payload}, {"metadata", {{"depends_on", "a"}}}});
  EXPECT_EQ(field(job, "payload"), payload);
  EXPECT_EQ(field(job, "metadata"), (json::object{{"depends_on", "a"}}));
}

TEST_F(Refusals, AnUnknownQueryParameterIs400NamingIt) {
  auto id = enqueue_id(api());
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?updated_after=2026-01-01T00:00:00Z"), 400, "invalid_argument",
                       {"unknown query parameter", "\"updated_after\""}));
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?status=queued&priorty=high"), 400, "invalid_argument", {"\"priorty\""}));
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?timeout=5"), 400, "invalid_argument", {"\"timeout\""}));
  EXPECT_TRUE(is_error(api().get("/api/v1/queues?name=default"), 400, "invalid_argument", {"\"name\""}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs?dry_run=1", json::object{{"type", "t"}}), 400, "invalid_argument",
                       {"\"dry_run\""}));
  EXPECT_EQ(list_jobs(api(), "status=queued").at("jobs").as_array().size(), 1u) << "known parameters still work";
}

TEST_F(Refusals, FieldsSentToAnActionThatReadsNoneAre400) {
  auto id = enqueue_id(api());
  EXPECT_TRUE(is_error(api().post(job_path(id) + "/cancel", json::object{{"reason", "duplicate"}}), 400,
                       "invalid_argument", {"\"reason\""}));
  EXPECT_EQ(status_of(api(), id), "queued");
  EXPECT_TRUE(is_error(api().post("/api/v1/queues/default/pause", json::object{{"until", "tomorrow"}}), 400,
                       "invalid_argument", {"\"until\""}));
  EXPECT_EQ(api().post(job_path(id) + "/cancel", json::object{}).status, 200) << "an empty object is no field";
  EXPECT_EQ(status_of(api(), id), "cancelled");
}

// A WebSocket client must hear that the server does not switch, not get a 200 with JSON; the
// connection stays HTTP/1.1 and serves the next request.
TEST_F(Refusals, AnUpgradeRequestIs400AndTheConnectionGoesOn) {
  RawConnection connection(server_.port());
  ASSERT_TRUE(connection.send("GET /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                              "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));
  auto refused = parse_raw_reply(connection.read_reply(kDeadline));
  EXPECT_TRUE(is_error(refused, 400, "invalid_argument", {"websocket"}));

  ASSERT_TRUE(connection.send("GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  EXPECT_EQ(parse_raw_reply(connection.read_reply(kDeadline)).status, 200);
}

}  // namespace
}  // namespace corral::test
