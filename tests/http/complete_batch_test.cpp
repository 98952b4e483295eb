// POST /api/v1/complete: many completions in one call, each answered on its own and in order;
// the successes are durable like single completions, a stale token changes nothing.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class CompleteBatch : public ApiTest {};

json::object item(Lease const& lease, json::value result = nullptr) {
  json::object o{{"id", lease.id}, {"lease_token", lease.token}};
  if (!result.is_null()) o["result"] = std::move(result);
  return o;
}

json::array results_of(Client& api, json::array items) {
  auto reply = expect_json(api.post("/api/v1/complete", json::object{{"jobs", std::move(items)}}), 200);
  return reply.at("results").as_array();
}

TEST_F(CompleteBatch, EveryItemIsCompletedWithItsResult) {
  auto a = start_job(api());
  auto b = start_job(api());
  auto results = results_of(api(), json::array{item(a, json::object{{"n", 1}}), item(b)});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(str(results[0].as_object(), "id"), a.id);
  EXPECT_EQ(str(results[0].as_object(), "status"), "completed");
  EXPECT_EQ(str(results[1].as_object(), "id"), b.id);
  EXPECT_EQ(str(results[1].as_object(), "status"), "completed");
  auto job = get_job(api(), a.id);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(field(job, "result"), json::value(json::object{{"n", 1}}));
  EXPECT_EQ(status_of(api(), b.id), "completed");
}

TEST_F(CompleteBatch, AStaleItemFailsAloneAndChangesNothing) {
  auto good = start_job(api());
  auto other = start_job(api());
  auto before = get_job(api(), other.id);
  Lease stale{other.id, "0123456789abcdef0123456789abcdef", {}};
  Lease missing{"job_doesnotexist", good.token, {}};
  auto results = results_of(api(), json::array{item(stale), item(good), item(missing)});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(str(results[0].as_object().at("error").as_object(), "code"), "stale_lease");
  EXPECT_EQ(str(results[0].as_object(), "id"), other.id);
  EXPECT_EQ(str(results[1].as_object(), "status"), "completed");
  EXPECT_EQ(str(results[2].as_object().at("error").as_object(), "code"), "not_found");
  EXPECT_EQ(get_job(api(), other.id), before);
}

TEST_F(CompleteBatch, ResendingACompletionThatWonAnswersCompleted) {
  auto lease = start_job(api());
  auto first = results_of(api(), json::array{item(lease), item(lease)});
  EXPECT_EQ(str(first[0].as_object(), "status"), "completed");
  EXPECT_EQ(str(first[1].as_object(), "status"), "completed") << "the same completion twice in one call";
  auto again = results_of(api(), json::array{item(lease)});
  EXPECT_EQ(str(again[0].as_object(), "status"), "completed");
  EXPECT_EQ(get_job(api(), lease.id).at("attempts").as_array().size(), 1u);
}

TEST_F(CompleteBatch, MalformedBodiesAreRejectedWithTheFieldNamed) {
  auto lease = start_job(api());
  EXPECT_TRUE(is_error(api().post("/api/v1/complete", json::object{}), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(api().post("/api/v1/complete", json::object{{"jobs", json::array{}}}), 400, "invalid_argument"));
  auto no_token = api().post("/api/v1/complete", json::object{{"jobs", json::array{json::object{{"id", lease.id}}}}});
  EXPECT_TRUE(is_error(no_token, 400, "invalid_argument", {"jobs[0].lease_token"}));
  auto no_id = api().post("/api/v1/complete", json::object{{"jobs", json::array{json::object{{"lease_token", lease.token}}}}});
  EXPECT_TRUE(is_error(no_id, 400, "invalid_argument", {"jobs[0].id"}));
  EXPECT_EQ(status_of(api(), lease.id), "running");
}

TEST_F(CompleteBatch, CompletionsSurviveARestart) {
  auto a = start_job(api());
  auto b = start_job(api());
  results_of(api(), json::array{item(a), item(b)});
  restart_server();
  EXPECT_EQ(status_of(api(), a.id), "completed");
  EXPECT_EQ(status_of(api(), b.id), "completed");
}

}  // namespace
}  // namespace corral::test
