// Every kind of bad request gets the contract's error, {"error": {"code", "message"}} with its
// status, and none of them stops the server from serving the next request.
#include "http/api_helpers.hpp"
#include "http/raw_http.hpp"

namespace corral::test {
namespace {

class Errors : public ApiTest {};

// An enqueue body of exactly `bytes` bytes: a job whose payload string fills the rest.
std::string enqueue_body_of_size(std::size_t bytes) {
  std::string const head = R"({"type":"t","payload":")", tail = R"("})";
  return head + std::string(bytes - head.size() - tail.size(), 'x') + tail;
}

constexpr std::size_t kOneMiB = 1024 * 1024;

TEST_F(Errors, MalformedJsonIs400InvalidJson) {
  auto id = enqueue_id(api());
  for (std::string body : {"{", "not json", R"({"type": })", R"({"type":"t",})", "[1, 2", R"({"type":"t"} trailing)"}) {
    SCOPED_TRACE(body);
    EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs", body), 400, "invalid_json"));
    EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs/batch", body), 400, "invalid_json"));
    EXPECT_TRUE(is_error(api().request("POST", "/api/v1/fetch", body), 400, "invalid_json"));
    EXPECT_TRUE(is_error(api().request("POST", job_path(id) + "/complete", body), 400, "invalid_json"));
  }
  EXPECT_EQ(list_jobs(api()).at("jobs").as_array().size(), 1u);
}

TEST_F(Errors, WrongTypesAre400NamingTheField) {
  struct Case {
    std::string target;
    json::object body;
    std::string named;
  };
  auto lease = start_job(api());
  std::string const jobs = "/api/v1/jobs", fetch_path = "/api/v1/fetch", id_path = job_path(lease.id);
  std::vector<Case> cases = {
      {jobs, {{"type", 5}}, "type"},
      {jobs, {{"type", "t"}, {"queue", 5}}, "queue"},
      {jobs, {{"type", "t"}, {"priority", true}}, "priority"},
      {jobs, {{"type", "t"}, {"max_attempts", "3"}}, "max_attempts"},
      {jobs, {{"type", "t"}, {"timeout_s", "300"}}, "timeout_s"},
      {jobs, {{"type", "t"}, {"delay_s", "1"}}, "delay_s"},
      {jobs, {{"type", "t"}, {"run_at", 1700000000}}, "run_at"},
      {jobs, {{"type", "t"}, {"run_at", "tomorrow"}}, "run_at"},
      {jobs, {{"type", "t"}, {"run_at", "2031-02-30T00:00:00Z"}}, "run_at"},
      {jobs, {{"type", "t"}, {"run_at", "2031-01-01T00:00:00"}}, "run_at"},  // no offset
      {jobs, {{"type", "t"}, {"backoff", 5}}, "backoff"},
      {jobs, {{"type", "t"}, {"backoff", {{"initial_s", "1"}}}}, "initial_s"},
      {jobs, {{"type", "t"}, {"idempotency_key", 5}}, "idempotency_key"},
      {jobs, {{"type", "t"}, {"owner", json::array{"a"}}}, "owner"},
      {fetch_path, {{"queues", "default"}}, "queues"},
      {fetch_path, {{"queues", json::array{5}}}, "queues"},
      {fetch_path, {{"count", "1"}}, "count"},
      {fetch_path, {{"wait_s", "1"}}, "wait_s"},
      {fetch_path, {{"lease_s", true}}, "lease_s"},
      {fetch_path, {{"worker_id", 5}}, "worker_id"},
      {id_path + "/heartbeat", {{"lease_token", 5}}, "lease_token"},
      {id_path + "/heartbeat", {{"lease_token", lease.token}, {"extend_s", "10"}}, "extend_s"},
      {id_path + "/heartbeat", {{"lease_token", lease.token}, {"progress", "half"}}, "progress"},
      {id_path + "/heartbeat", {{"lease_token", lease.token}, {"progress", {{"percent", "50"}}}}, "percent"},
      {id_path + "/complete", {{"lease_token", json::array{}}}, "lease_token"},
      {id_path + "/fail", {{"lease_token", lease.token}, {"error", "broke"}}, "error"},
      {id_path + "/fail", {{"lease_token", lease.token}, {"error", {{"retryable", "no"}}}}, "retryable"},
      {id_path + "/fail", {{"lease_token", lease.token}, {"retry_in_s", "1"}}, "retry_in_s"},
      {id_path + "/release", {{"lease_token", lease.token}, {"delay_s", "1"}}, "delay_s"},
  };
  auto before = get_job(api(), lease.id);
  for (auto const& c : cases) {
    SCOPED_TRACE(c.target + " " + json::serialize(c.body));
    EXPECT_TRUE(is_error(api().post(c.target, c.body), 400, "invalid_argument", {c.named}));
  }
  EXPECT_EQ(get_job(api(), lease.id), before) << "no bad report touched the job";
  EXPECT_EQ(list_jobs(api()).at("jobs").as_array().size(), 1u) << "no bad enqueue made a job";
}

TEST_F(Errors, ABodyThatIsNotAnObjectIs400) {
  for (auto target : {"/api/v1/jobs", "/api/v1/jobs/batch", "/api/v1/fetch"}) {
    for (std::string body : {"[]", "\"text\"", "42", "null"}) {
      EXPECT_TRUE(is_error(api().request("POST", target, body), 400, "invalid_argument")) << target << " " << body;
    }
  }
}

TEST_F(Errors, MissingRequiredFieldsAre400NamingThem) {
  auto lease = start_job(api());
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"queue", "q"}}), 400, "invalid_argument", {"type"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", nullptr}}), 400, "invalid_argument", {"type"}));
  for (auto action : {"heartbeat", "complete", "fail", "release"}) {
    EXPECT_TRUE(is_error(act(api(), lease.id, action, {}), 400, "invalid_argument", {"lease_token"})) << action;
  }
  EXPECT_EQ(status_of(api(), lease.id), "running");
}

TEST_F(Errors, UnknownRoutesAre404) {
  EXPECT_TRUE(is_error(api().get("/api/v1/nothing"), 404, "not_found"));
  // A GET of /nothing is the dashboard's page (tests/dashboard/serving.spec.mjs); other methods are not.
  EXPECT_TRUE(is_error(api().post("/nothing", json::object{}), 404, "not_found"));
  EXPECT_TRUE(is_error(api().get("/api/v2/jobs"), 404, "not_found"));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/some-id/explode", json::object{}), 404, "not_found"));
}

TEST_F(Errors, UnknownJobsAre404ForEveryAction) {
  std::string const id = "job_unknown";
  EXPECT_TRUE(is_error(api().get(job_path(id)), 404, "not_found"));
  EXPECT_TRUE(is_error(api().del(job_path(id)), 404, "not_found"));
  EXPECT_TRUE(is_error(cancel(api(), id), 404, "not_found"));
  EXPECT_TRUE(is_error(retry(api(), id), 404, "not_found"));
  for (auto action : {"heartbeat", "complete", "fail", "release"}) {
    EXPECT_TRUE(is_error(act(api(), id, action, {{"lease_token", "x"}}), 404, "not_found")) << action;
  }
}

TEST_F(Errors, AWrongMethodIs405WithAnAllowHeader) {
  struct Case {
    char const* method;
    char const* target;
    std::vector<char const*> allowed;
  };
  for (auto const& c : {Case{"PUT", "/api/v1/jobs", {"GET", "POST"}}, Case{"DELETE", "/api/v1/queues", {"GET"}},
                        Case{"GET", "/api/v1/fetch", {"POST"}}, Case{"PATCH", "/api/v1/jobs/some-id", {"GET", "DELETE"}},
                        Case{"GET", "/api/v1/jobs/some-id/cancel", {"POST"}}, Case{"POST", "/livez", {"GET"}}}) {
    SCOPED_TRACE(std::string(c.method) + " " + c.target);
    auto reply = api().request(c.method, c.target);
    EXPECT_TRUE(is_error(reply, 405, "method_not_allowed"));
    ASSERT_TRUE(reply.headers.contains("allow")) << describe(reply);
    for (auto method : c.allowed) EXPECT_TRUE(has_substr(reply.headers.at("allow"), method));
  }
}

TEST_F(Errors, ABodyThatIsNotJsonIs415) {
  std::string const body = R"({"type":"t"})";
  EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs", body, "text/plain"), 415, "unsupported_media_type"));
  EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs", body, ""), 415, "unsupported_media_type"));
  EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs", body, "application/jsonl"), 415, "unsupported_media_type"));
  EXPECT_TRUE(is_error(api().request("POST", "/api/v1/fetch", "{}", "application/x-www-form-urlencoded"), 415,
                       "unsupported_media_type"));
  EXPECT_TRUE(list_jobs(api()).at("jobs").as_array().empty());
}

TEST_F(Errors, JsonWithParametersIsAccepted) {
  std::string const body = R"({"type":"t"})";
  EXPECT_EQ(api().request("POST", "/api/v1/jobs", body, "application/json; charset=utf-8").status, 201);
  EXPECT_EQ(api().request("POST", "/api/v1/jobs", body, "application/json;charset=UTF-8").status, 201);
}

TEST_F(Errors, ABodyOverOneMiBIs413AndTheServerKeepsServing) {
  EXPECT_EQ(api().request("POST", "/api/v1/jobs", enqueue_body_of_size(kOneMiB)).status, 201)
      << "exactly the limit is allowed";

  // A plain socket: the server may answer before it has read the body, and the reply is the point.
  EXPECT_TRUE(is_error(raw_post(server_.port(), "/api/v1/jobs", enqueue_body_of_size(kOneMiB + 1)), 413,
                       "payload_too_large"));
  EXPECT_TRUE(is_error(raw_post(server_.port(), "/api/v1/jobs", enqueue_body_of_size(4 * kOneMiB)), 413,
                       "payload_too_large"));

  auto fresh = new_client();
  EXPECT_EQ(fresh.get("/livez").status, 200);
  enqueue(fresh);
  EXPECT_EQ(list_jobs(fresh).at("jobs").as_array().size(), 2u) << "nothing of the refused bodies was written";
}

TEST_F(Errors, TheClientHearsThe413OfABodyOverTheLimit) {
  // What a user of the C++ client (and the CLI) sees when a body is too large.
  Client big(server_.url());
  EXPECT_TRUE(is_error(big.request("POST", "/api/v1/jobs", enqueue_body_of_size(kOneMiB + 1)), 413,
                       "payload_too_large"));
}

TEST_F(Errors, GarbageNeverStopsTheServer) {
  constexpr char kRawNul[] = "{\"type\":\"t\0\"}";  // a control character inside a JSON string
  std::vector<std::pair<std::string, std::string>> requests = {
      {"/api/v1/jobs", std::string(100000, '[')},
      {"/api/v1/jobs", R"({"type":"t","priority":1e400})"},
      {"/api/v1/jobs", R"({"type":"t","timeout_s":-0.0})"},
      {"/api/v1/jobs", "{\"type\":\"\xff\xfe\"}"},
      {"/api/v1/jobs", std::string(kRawNul, sizeof kRawNul - 1)},
      {"/api/v1/jobs/batch", R"({"jobs":[{"type":"t"},{"type":"t","payload":)" + std::string(50000, '[')},
      {"/api/v1/fetch", R"({"count":1e20,"wait_s":1e308})"},
  };
  for (auto const& [target, body] : requests) {
    auto reply = api().request("POST", target, body);
    EXPECT_GE(reply.status, 400) << target << " " << body.substr(0, 60);
    EXPECT_LT(reply.status, 500) << target << " " << body.substr(0, 60) << ": " << describe(reply);
  }
  EXPECT_EQ(api().get("/livez").status, 200);
  EXPECT_TRUE(server_.running());
}

class SmallBodyLimit : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--max-body-bytes", "2048"}; }
};

TEST_F(SmallBodyLimit, TheBodyLimitIsConfigurable) {
  EXPECT_EQ(api().request("POST", "/api/v1/jobs", enqueue_body_of_size(2048)).status, 201);
  EXPECT_TRUE(is_error(raw_post(server_.port(), "/api/v1/jobs", enqueue_body_of_size(2049)), 413, "payload_too_large"));
  EXPECT_EQ(new_client().get("/livez").status, 200);
}

}  // namespace
}  // namespace corral::test
