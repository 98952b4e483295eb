// POST /api/v1/jobs: what an enqueue stores and echoes, its defaults, times, and idempotency keys.
// The bounds of every field are in ranges_test.cpp, batches in batch_test.cpp.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Enqueue : public ApiTest {};

TEST_F(Enqueue, EchoesEveryFieldItWasGiven) {
  json::object body{
      {"type", "email.send:v2"},
      {"queue", "mail_out-1"},
      {"payload", {{"to", "a@example.com"}, {"list", json::array{1, 2.5, json::object{{"x", nullptr}}}}}},
      {"priority", 7},
      {"run_at", "2031-05-06T07:08:09.123456Z"},
      {"max_attempts", 5},
      {"timeout_s", 12.5},
      {"backoff", {{"initial_s", 0.5}, {"multiplier", 3}, {"max_s", 60}, {"jitter", 0.25}}},
      {"idempotency_key", "order-17 / email"},
      {"owner", "team a"},
      {"metadata", {{"source", "test"}, {"n", 3}}},
  };
  auto reply = api().post("/api/v1/jobs", body);
  auto job = expect_json(reply, 201);

  EXPECT_FALSE(str(job, "id").empty());
  for (auto key : {"type", "queue", "payload", "priority", "run_at", "max_attempts", "timeout_s", "idempotency_key",
                   "owner", "metadata"}) {
    EXPECT_EQ(field(job, key), body.at(key)) << key;
  }
  ASSERT_TRUE(job.contains("backoff"));
  EXPECT_EQ(num(job.at("backoff").as_object(), "initial_s"), 0.5);
  EXPECT_EQ(num(job.at("backoff").as_object(), "multiplier"), 3);
  EXPECT_EQ(num(job.at("backoff").as_object(), "max_s"), 60);
  EXPECT_EQ(num(job.at("backoff").as_object(), "jitter"), 0.25);
  EXPECT_EQ(str(job, "status"), "scheduled");  // run_at is in the future
  EXPECT_EQ(num(job, "attempt"), 0);
  EXPECT_EQ(field(job, "cancel_requested"), json::value(false));
  EXPECT_EQ(field(job, "attempts"), json::value(json::array{}));
  for (auto key : {"result", "error", "progress", "checkpoint", "lease_expires_at", "worker_id", "started_at",
                   "completed_at"}) {
    EXPECT_EQ(field(job, key), json::value(nullptr)) << key;
  }
  time_at(job, "created_at");
  time_at(job, "updated_at");

  // What the reply said is what was stored.
  EXPECT_EQ(get_job(api(), str(job, "id")), job);
}

TEST_F(Enqueue, ReplyCarriesEveryFieldOfTheJobModel) {
  auto job = enqueue(api());
  for (auto key : {"id", "type", "queue", "payload", "priority", "status", "attempt", "max_attempts", "run_at",
                   "timeout_s", "progress", "checkpoint", "result", "error", "attempts", "owner", "idempotency_key",
                   "metadata", "cancel_requested", "lease_expires_at", "worker_id", "created_at", "updated_at",
                   "started_at", "completed_at"}) {
    EXPECT_TRUE(job.contains(key)) << key << " missing from " << json::serialize(job);
  }
  EXPECT_FALSE(job.contains("lease_token")) << "only a fetch hands out a lease token";
}

// RFC 7240's return=minimal: the new job's id and status, and 200 with the same for a known key.
TEST_F(Enqueue, PreferReturnMinimalAnswersTheJobsIdAndStatusOnly) {
  auto minimal = new_client();
  minimal.add_header("Prefer", "respond-async, return=minimal");
  auto const body = json::object{{"type", "report"}, {"idempotency_key", "k1"}};
  auto created = minimal.post("/api/v1/jobs", body);
  auto const ref = expect_json(created, 201);
  EXPECT_EQ(created.headers["preference-applied"], "return=minimal");
  EXPECT_EQ(ref.size(), 2u) << json::serialize(ref);
  EXPECT_EQ(str(ref, "status"), "queued");
  EXPECT_EQ(str(get_job(api(), str(ref, "id")), "type"), "report");

  EXPECT_EQ(expect_json(minimal.post("/api/v1/jobs", body), 200), ref) << "the known key's job, as minimal";
  auto full = expect_json(api().post("/api/v1/jobs", body), 200);
  EXPECT_EQ(str(full, "id"), str(ref, "id"));
  EXPECT_TRUE(full.contains("payload")) << "without the preference, the job in full";
}

TEST_F(Enqueue, OmittedFieldsTakeTheirDefaults) {
  auto job = enqueue(api(), {{"type", "t"}});
  EXPECT_EQ(str(job, "queue"), "default");
  EXPECT_EQ(field(job, "payload"), json::value(json::object{}));
  EXPECT_EQ(field(job, "priority"), json::value(0));
  EXPECT_EQ(field(job, "max_attempts"), json::value(3));
  EXPECT_EQ(num(job, "timeout_s"), 300);
  ASSERT_TRUE(job.contains("backoff"));
  auto const& backoff = job.at("backoff").as_object();
  EXPECT_EQ(num(backoff, "initial_s"), 1);
  EXPECT_EQ(num(backoff, "multiplier"), 2);
  EXPECT_EQ(num(backoff, "max_s"), 3600);
  EXPECT_EQ(num(backoff, "jitter"), 0.1);
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_EQ(field(job, "attempt"), json::value(0));
  EXPECT_EQ(field(job, "owner"), json::value(nullptr));
  EXPECT_EQ(field(job, "idempotency_key"), json::value(nullptr));
  // Without run_at or delay_s a job is due at once.
  EXPECT_EQ(time_at(job, "run_at"), time_at(job, "created_at"));
}

TEST_F(Enqueue, PayloadMayBeAnyJsonValue) {
  for (json::value payload : {json::value("text"), json::value(42), json::value(json::array{1, "two", nullptr}),
                              json::value(true), json::value(json::object{{"deep", {{"er", {{"est", 1}}}}}})}) {
    SCOPED_TRACE(json::serialize(payload));
    auto job = enqueue(api(), {{"type", "t"}, {"payload", payload}});
    EXPECT_EQ(field(job, "payload"), payload);
    EXPECT_EQ(field(get_job(api(), str(job, "id")), "payload"), payload);
  }
}

TEST_F(Enqueue, PriorityNamesAreEchoedAsIntegers) {
  for (auto [name, value] : {std::pair{"low", -10}, std::pair{"normal", 0}, std::pair{"high", 10}}) {
    auto job = enqueue(api(), {{"type", "t"}, {"priority", name}});
    ASSERT_TRUE(job.contains("priority"));
    EXPECT_TRUE(job.at("priority").is_int64()) << name << " echoed as " << job.at("priority");
    EXPECT_EQ(field(job, "priority"), json::value(value)) << name;
  }
}

TEST_F(Enqueue, RunAtWithAnyOffsetIsEchoedInUtcWithMicroseconds) {
  struct Case {
    char const* given;
    char const* echoed;
  };
  for (auto [given, echoed] : {
           Case{"2031-05-06T07:08:09Z", "2031-05-06T07:08:09.000000Z"},
           Case{"2031-05-06T07:08:09+02:00", "2031-05-06T05:08:09.000000Z"},
           Case{"2031-05-06T07:08:09.5-05:30", "2031-05-06T12:38:09.500000Z"},
           Case{"2031-12-31T23:30:00.123456-01:00", "2032-01-01T00:30:00.123456Z"},
           Case{"2031-03-01T00:00:00.000001+14:00", "2031-02-28T10:00:00.000001Z"},
       }) {
    auto job = enqueue(api(), {{"type", "t"}, {"run_at", given}});
    EXPECT_EQ(str(job, "run_at"), echoed) << given;
    EXPECT_EQ(str(job, "status"), "scheduled") << given;
    EXPECT_EQ(str(get_job(api(), str(job, "id")), "run_at"), echoed) << given;
  }
}

TEST_F(Enqueue, RunAtInThePastMeansNow) {
  auto job = enqueue(api(), {{"type", "t"}, {"queue", "past"}, {"run_at", "2001-02-03T04:05:06+01:00"}});
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_GE(time_at(job, "run_at"), time_at(job, "created_at"));
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"past"}}}).id, str(job, "id"));
}

TEST_F(Enqueue, DelayedJobIsScheduledThenBecomesQueuedAndFetchableByItself) {
  auto job = enqueue(api(), {{"type", "t"}, {"queue", "later"}, {"delay_s", 1.5}});
  auto id = str(job, "id");
  EXPECT_EQ(str(job, "status"), "scheduled");
  EXPECT_DOUBLE_EQ(seconds_between(job, "created_at", "run_at"), 1.5);
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"later"}}}).empty()) << "a scheduled job is not handed out early";

  // Nothing but the passing of time moves it.
  EXPECT_TRUE(wait_for_status(api(), id, "queued"));
  EXPECT_EQ(fetch_one(api(), {{"queues", json::array{"later"}}}).id, id);
}

TEST_F(Enqueue, FractionalDelayIsAccepted) {
  auto job = enqueue(api(), {{"type", "t"}, {"delay_s", 3600.25}});
  EXPECT_EQ(str(job, "status"), "scheduled");
  EXPECT_DOUBLE_EQ(seconds_between(job, "created_at", "run_at"), 3600.25);
}

TEST_F(Enqueue, RunAtAndDelayTogetherAreRejected) {
  auto reply = api().post("/api/v1/jobs", json::object{{"type", "t"}, {"run_at", "2031-01-01T00:00:00Z"}, {"delay_s", 5}});
  EXPECT_TRUE(is_error(reply, 400, "invalid_argument", {"run_at", "delay_s"}));
  EXPECT_TRUE(list_jobs(api()).at("jobs").as_array().empty());
}

TEST_F(Enqueue, KnownIdempotencyKeyAnswers200WithTheExistingJobWhateverTheBody) {
  auto first = api().post("/api/v1/jobs", json::object{{"type", "a"}, {"payload", {{"n", 1}}}, {"idempotency_key", "k-1"}});
  auto created = expect_json(first, 201);

  auto again = api().post("/api/v1/jobs", json::object{{"type", "b"}, {"queue", "other"}, {"payload", {{"n", 2}}},
                                                       {"idempotency_key", "k-1"}});
  auto existing = expect_json(again, 200);
  EXPECT_EQ(existing, created);
  EXPECT_EQ(ids_of(list_jobs(api()).at("jobs").as_array()), std::vector{str(created, "id")});
}

TEST_F(Enqueue, KnownIdempotencyKeyAnswersWithTheJobsCurrentState) {
  auto lease = start_job(api(), {{"type", "t"}, {"idempotency_key", "k-2"}});
  ASSERT_EQ(complete(api(), lease, json::object{{"ok", true}}).status, 200);
  auto existing = expect_json(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", "k-2"}}), 200);
  EXPECT_EQ(str(existing, "id"), lease.id);
  EXPECT_EQ(str(existing, "status"), "completed");
}

TEST_F(Enqueue, DifferentIdempotencyKeysMakeDifferentJobs) {
  auto a = enqueue_id(api(), {{"type", "t"}, {"idempotency_key", "k-a"}});
  auto b = enqueue_id(api(), {{"type", "t"}, {"idempotency_key", "k-b"}});
  auto c = enqueue_id(api(), {{"type", "t"}});
  auto d = enqueue_id(api(), {{"type", "t"}});
  EXPECT_NE(a, b);
  EXPECT_NE(c, d);
  EXPECT_EQ(list_jobs(api()).at("jobs").as_array().size(), 4u);
}

}  // namespace
}  // namespace corral::test
