// Dependencies and batches over HTTP, against the real binary (on PostgreSQL too, with
// CORRAL_TEST_BACKEND=postgres): depends_on and its refusals, the fetched child's parents, a named
// batch's reply, GET /api/v1/batches/{id} and its state, a batch name taken, and an owner's key
// that cannot see another owner's batch.
#include "http/configured_api_test.hpp"
#include "http/limits_support.hpp"

namespace corral::test {
namespace {

using Dependencies = ApiTest;

TEST_F(Dependencies, AChildWaitsAndIsFetchedWithItsParentsResults) {
  auto const parent = start_job(api(), {{"type", "extract"}, {"queue", "etl"}});
  auto child = enqueue(api(), {{"type", "load"}, {"queue", "load"}, {"depends_on", json::array{parent.id}}});
  EXPECT_EQ(str(child, "status"), "waiting");
  EXPECT_EQ(field(child, "parents_left"), json::value(1));
  EXPECT_EQ(field(child, "on_parent_failure"), json::value("cancel"));
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"load"}}}).empty());

  expect_json(complete(api(), parent, json::object{{"rows", 42}}), 200);
  auto const leased = fetch_one(api(), {{"queues", json::array{"load"}}});
  EXPECT_EQ(leased.id, str(child, "id"));
  auto const& parents = leased.job.at("parents").as_array();
  ASSERT_EQ(parents.size(), 1u);
  EXPECT_EQ(parents[0], json::parse(R"({"id":")" + parent.id + R"(","status":"completed","result":{"rows":42}})"));
}

TEST_F(Dependencies, BadParentsAreRefusedNamingThem) {
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"depends_on", json::array{"job_nope"}}}),
                       400, "invalid_argument", {"depends_on[0]: no job job_nope"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"depends_on", "job_nope"}}), 400,
                       "invalid_argument", {"depends_on"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"on_parent_failure", "run"}}), 400,
                       "invalid_argument", {"on_parent_failure needs depends_on"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch",
                                  json::object{{"jobs", json::array{json::object{{"type", "t"}},
                                                                    json::object{{"type", "t"}, {"depends_on", json::array{"x"}}}}}}),
                       400, "invalid_argument", {"jobs[1]: depends_on[0]: no job x"}));
  EXPECT_EQ(expect_json(api().get("/api/v1/jobs"), 200).at("jobs").as_array().size(), 0u) << "nothing was written";
}

TEST_F(Dependencies, ANamedBatchAnswersWithItsJobsAndIsCountedUntilItSucceeds) {
  json::object body{{"jobs", json::array{json::object{{"type", "part"}, {"queue", "parts"}},
                                         json::object{{"type", "part"}, {"queue", "parts"}}}},
                    {"batch", json::object{{"id", "import-42"}, {"on_success", json::object{{"type", "notify"}, {"queue", "done"}}}}}};
  auto reply = expect_json(api().post("/api/v1/jobs/batch", body), 201);
  auto const& jobs = reply.at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(str(jobs[0].as_object(), "batch"), "import-42");
  auto const& batch = reply.at("batch").as_object();
  EXPECT_EQ(str(batch, "id"), "import-42");
  EXPECT_EQ(str(batch.at("on_success").as_object(), "status"), "waiting");
  EXPECT_TRUE(batch.at("on_complete").is_null());

  auto info = expect_json(api().get("/api/v1/batches/import-42"), 200);
  EXPECT_EQ(str(info, "state"), "active");
  EXPECT_EQ(field(info, "total"), json::value(2));
  EXPECT_EQ(info.at("counts").at("queued"), json::value(2));
  EXPECT_EQ(str(info, "on_success"), str(batch.at("on_success").as_object(), "id"));

  for (int i = 0; i < 2; ++i) expect_json(complete(api(), fetch_one(api(), {{"queues", json::array{"parts"}}})), 200);
  info = expect_json(api().get("/api/v1/batches/import-42"), 200);
  EXPECT_EQ(str(info, "state"), "succeeded");
  auto const done = fetch_one(api(), {{"queues", json::array{"done"}}});
  EXPECT_EQ(done.job.at("parents").as_array().size(), 2u);

  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", json::object{{"jobs", json::array{json::object{{"type", "t"}}}},
                                                                    {"batch", json::object{{"id", "import-42"}}}}),
                       409, "already_exists", {"batch import-42 exists"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/batches/no-such"), 404, "not_found", {"batch no-such not found"}));
}

TEST_F(Dependencies, ABatchWithAFailureEndsFailed) {
  auto reply = expect_json(api().post("/api/v1/jobs/batch",
                                      json::object{{"jobs", json::array{json::object{{"type", "part"}, {"queue", "p2"}, {"max_attempts", 1}}}},
                                                   {"batch", json::object{}}}),
                           201);
  auto const id = str(reply.at("batch").as_object(), "id");
  EXPECT_FALSE(id.empty());
  expect_json(fail(api(), fetch_one(api(), {{"queues", json::array{"p2"}}})), 200);
  EXPECT_EQ(str(expect_json(api().get("/api/v1/batches/" + id), 200), "state"), "failed");
}

TEST_F(Dependencies, AJobThatIsNotRunningSaysWhy) {
  auto const parent = enqueue_id(api(), {{"type", "t"}, {"queue", "held"}});
  auto const child = enqueue_id(api(), {{"type", "t"}, {"queue", "after"}, {"depends_on", json::array{json::value(parent)}}});
  auto why = [&](std::string const& id) { return expect_json(api().get(job_path(id)), 200).at("not_ready"); };
  EXPECT_EQ(why(child), json::parse(R"({"code":"parents","message":"waiting for 1 parent of 1 to end"})"));
  EXPECT_TRUE(why(parent).is_null()) << "queued in a queue with room: ready for the next worker";
  expect_json(api().post("/api/v1/queues/held/pause"), 200);
  EXPECT_EQ(why(parent).at("code"), json::value("queue_paused"));
  auto const later = enqueue_id(api(), {{"type", "t"}, {"delay_s", 600}});
  EXPECT_EQ(why(later).at("code"), json::value("scheduled"));

  // Its queue's own running count, read for this queue alone: one running of max_running 1.
  expect_json(patch_queue(api(), "limited", {{"max_running", 1}}), 200);
  enqueue_id(api(), {{"type", "t"}, {"queue", "limited"}});
  auto const second = enqueue_id(api(), {{"type", "t"}, {"queue", "limited"}});
  enqueue_id(api(), {{"type", "t"}, {"queue", "busy"}});
  fetch_one(api(), {{"queues", json::array{"limited"}}});
  fetch_one(api(), {{"queues", json::array{"busy"}}});
  EXPECT_EQ(why(second), json::parse(R"({"code":"concurrency_limit","message":"queue limited has 1 job running, its max_running"})"));
}

}  // namespace
}  // namespace corral::test
