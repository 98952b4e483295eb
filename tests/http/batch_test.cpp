// POST /api/v1/jobs/batch: up to 1000 jobs, all or nothing, in request order, with idempotency
// keys answered per position.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Batch : public ApiTest {
 protected:
  Response post_batch(json::array jobs) {
    return api().post("/api/v1/jobs/batch", json::object{{"jobs", std::move(jobs)}});
  }
  std::size_t stored_jobs() { return list_jobs(api(), "limit=1000").at("jobs").as_array().size(); }
};

json::array typed_jobs(int n) {
  json::array jobs;
  for (int i = 0; i < n; ++i) jobs.push_back(json::object{{"type", "t" + std::to_string(i)}, {"payload", i}});
  return jobs;
}

TEST_F(Batch, CreatesEveryJobAndAnswers201InRequestOrder) {
  auto reply = post_batch(typed_jobs(3));
  auto body = expect_json(reply, 201);
  ASSERT_TRUE(body.contains("jobs"));
  auto const& jobs = body.at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 3u);
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    auto const& job = jobs[i].as_object();
    EXPECT_EQ(str(job, "type"), "t" + std::to_string(i));
    EXPECT_EQ(field(job, "payload"), json::value(static_cast<std::int64_t>(i)));
    EXPECT_EQ(str(job, "status"), "queued");
    EXPECT_EQ(get_job(api(), str(job, "id")), job);
  }
}

TEST_F(Batch, ABadJobRejectsTheWholeBatchNamingItsIndex) {
  auto jobs = typed_jobs(4);
  jobs[2].as_object()["max_attempts"] = 0;
  EXPECT_TRUE(is_error(post_batch(jobs), 400, "invalid_argument", {"jobs[2]", "max_attempts"}));

  jobs = typed_jobs(4);
  jobs[1].as_object().erase("type");
  EXPECT_TRUE(is_error(post_batch(jobs), 400, "invalid_argument", {"jobs[1]", "type"}));

  jobs = typed_jobs(4);
  jobs[3] = "not an object";
  EXPECT_TRUE(is_error(post_batch(jobs), 400, "invalid_argument", {"jobs[3]"}));

  EXPECT_EQ(stored_jobs(), 0u) << "nothing of a rejected batch is written";
}

TEST_F(Batch, TheFirstBadJobIsTheOneNamed) {
  auto jobs = typed_jobs(5);
  jobs[1].as_object()["priority"] = 5000;
  jobs[3].as_object()["priority"] = 5000;
  EXPECT_TRUE(is_error(post_batch(jobs), 400, "invalid_argument", {"jobs[1]", "priority"}));
}

TEST_F(Batch, TheSameIdempotencyKeyTwiceInOneBatchIsRejected) {
  auto jobs = typed_jobs(3);
  jobs[0].as_object()["idempotency_key"] = "dup";
  jobs[2].as_object()["idempotency_key"] = "dup";
  EXPECT_TRUE(is_error(post_batch(jobs), 400, "invalid_argument", {"idempotency_key"}));
  EXPECT_EQ(stored_jobs(), 0u);
}

TEST_F(Batch, AKnownIdempotencyKeyYieldsTheExistingJobAtItsPosition) {
  auto existing = enqueue(api(), {{"type", "old"}, {"idempotency_key", "known"}});
  auto jobs = typed_jobs(3);
  jobs[1] = json::object{{"type", "new"}, {"payload", "ignored"}, {"idempotency_key", "known"}};

  auto reply = expect_json(post_batch(jobs), 201);
  auto const& out = reply.at("jobs").as_array();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].as_object(), existing);
  EXPECT_EQ(str(out[0].as_object(), "type"), "t0");
  EXPECT_EQ(str(out[2].as_object(), "type"), "t2");
  EXPECT_EQ(stored_jobs(), 3u);
}

TEST_F(Batch, AThousandJobsAreAcceptedAndAThousandAndOneAreNot) {
  EXPECT_TRUE(is_error(post_batch(typed_jobs(1001)), 400, "invalid_argument", {"jobs"}));
  EXPECT_EQ(stored_jobs(), 0u);

  auto reply = expect_json(post_batch(typed_jobs(1000)), 201);
  EXPECT_EQ(reply.at("jobs").as_array().size(), 1000u);
  EXPECT_EQ(stored_jobs(), 1000u);
}

TEST_F(Batch, AMissingOrMistypedJobListIsRejected) {
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{}), 400, "invalid_argument", {"jobs"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", "x"}}), 400, "invalid_argument", {"jobs"}));
}

// A producer of large batches reads back only what it needs: which job each position became.
TEST_F(Batch, PreferReturnMinimalAnswersEachJobWithItsIdAndStatusOnly) {
  auto existing = str(expect_json(api().post("/api/v1/jobs", json::object{{"type", "old"}, {"idempotency_key", "k"}}), 201), "id");
  auto minimal = new_client();
  minimal.add_header("Prefer", "return=minimal");
  json::array jobs = typed_jobs(2);
  jobs[1].as_object()["run_at"] = "2099-01-01T00:00:00Z";
  jobs.push_back(json::object{{"type", "again"}, {"idempotency_key", "k"}});
  auto reply = minimal.post("/api/v1/jobs/batch", json::object{{"jobs", jobs}});
  auto body = expect_json(reply, 201);
  EXPECT_EQ(reply.headers["preference-applied"], "return=minimal");
  ASSERT_EQ(body.size(), 1u) << json::serialize(body);
  auto const& refs = body.at("jobs").as_array();
  ASSERT_EQ(refs.size(), 3u);
  std::string const statuses[] = {"queued", "scheduled", "queued"};
  for (std::size_t i = 0; i < refs.size(); ++i) {
    auto const& ref = refs[i].as_object();
    EXPECT_EQ(ref.size(), 2u) << json::serialize(ref);
    EXPECT_EQ(str(ref, "status"), statuses[i]);
    auto const stored = get_job(api(), str(ref, "id"));
    EXPECT_EQ(str(stored, "type"), i < 2 ? "t" + std::to_string(i) : "old") << "position " << i;
  }
  EXPECT_EQ(str(refs[2].as_object(), "id"), existing) << "a known key yields the existing job's id";

  auto named = expect_json(
      minimal.post("/api/v1/jobs/batch", json::object{{"jobs", typed_jobs(1)}, {"batch", {{"on_success", {{"type", "after"}}}}}}),
      201);
  auto const& batch = named.at("batch").as_object();
  auto const& on_success = batch.at("on_success").as_object();
  EXPECT_EQ(on_success.size(), 2u) << json::serialize(on_success);
  EXPECT_EQ(str(on_success, "status"), "waiting");
  EXPECT_EQ(str(get_job(api(), str(on_success, "id")), "type"), "after");
  EXPECT_TRUE(batch.at("on_complete").is_null());

  auto full = api().post("/api/v1/jobs/batch", json::object{{"jobs", typed_jobs(1)}});
  EXPECT_EQ(full.headers.count("preference-applied"), 0u);
  EXPECT_TRUE(expect_json(full, 201).at("jobs").as_array()[0].as_object().contains("payload"))
      << "without the preference, each job in full";
}

}  // namespace
}  // namespace corral::test
