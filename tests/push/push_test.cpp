// Push delivery against a real endpoint on 127.0.0.1: the server POSTs each job of a queue with
// push_url, signed, with its lease and the report URLs, and settles the job by the reply's class
// (2xx completes, 202 leaves it to the endpoint, 4xx fails for good, 408/429/5xx, a timeout and a
// refused connection fail it to be retried, Retry-After sets when); the concurrency limit holds;
// a push_url outside the allow-list stops the server from starting.
#include "http/api_helpers.hpp"
#include "http/webhook_check.hpp"
#include "push/push_endpoint.hpp"
#include "support/cli_runner.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "push-signing-secret";
constexpr char kPublicUrl[] = "http://corral.example:7878";

class Push : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    auto const path = config_dir_.path() / "corral.toml";
    write_file(path, "signing_secret = \"" + std::string(kSecret) + "\"\npublic_url = \"" + kPublicUrl + "\"\n" +
                         "[queues.pushed]\npush_url = \"" + endpoint_.url() + "\"\n" +
                         "[queues.slow]\npush_url = \"" + endpoint_.url("/slow") + "\"\npush_timeout_s = 1\n" +
                         "[queues.narrow]\npush_url = \"" + endpoint_.url("/narrow") + "\"\npush_concurrency = 3\n" +
                         "[queues.down]\npush_url = \"http://127.0.0.1:" + std::to_string(down_port_) + "/run\"\n");
    return {"--config", path.string()};
  }

  // Enqueues a job of `queue` whose endpoint answers as `reply` says (push_endpoint.hpp).
  std::string push(std::string const& reply, json::object extra = {}, std::string const& queue = "pushed") {
    return enqueue_id(api(), merged({{"type", "t"}, {"queue", queue}, {"payload", {{"reply", reply}}}}, extra));
  }

  // The job once it is in `status`; throws if not by the deadline.
  json::object job_when(std::string const& id, std::string_view status) {
    if (!wait_for_status(api(), id, status, kPushDeadline)) {
      throw std::runtime_error("job " + id + " is not " + std::string(status) + ": " + json::serialize(get_job(api(), id)));
    }
    return get_job(api(), id);
  }

  // The request that pushed job `id`; throws if none came by the deadline.
  ReceivedRequest request_for(std::string const& id) {
    std::optional<ReceivedRequest> found;
    wait_until(kPushDeadline, [&] {
      for (auto const& r : endpoint_.receiver().received()) {
        if (r.header("x-corral-job") == id) found = r;
      }
      return found.has_value();
    });
    if (!found) throw std::runtime_error("job " + id + " was not pushed");
    return *found;
  }

  static json::object error_of(json::object const& job) { return job.at("error").as_object(); }

  PushEndpoint endpoint_;
  int down_port_ = HookReceiver::unused_port();
  TempDir config_dir_;
};

TEST_F(Push, TheEndpointGetsTheJobItsLeaseAndReportUrlsSigned) {
  auto const id = push("json");
  auto const request = request_for(id);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/run");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_TRUE(signature_valid(request, kSecret)) << request.header("x-corral-signature");
  EXPECT_FALSE(signature_valid(request, "another secret"));
  EXPECT_EQ(request.header("x-corral-delivery"), id + "/1") << "the job and its attempt";

  auto const body = json::parse(request.body).as_object();
  auto const& job = body.at("job").as_object();
  EXPECT_EQ(str(job, "id"), id);
  EXPECT_EQ(str(job, "status"), "running");
  EXPECT_EQ(json::serialize(job.at("payload")), R"({"reply":"json"})");
  EXPECT_FALSE(job.contains("lease_token")) << "the job as GET shows it; the token is beside it";
  EXPECT_FALSE(str(body, "lease_token").empty());
  EXPECT_TRUE(utc_micros(str(body, "lease_expires_at")).has_value()) << str(body, "lease_expires_at");
  auto const& report = body.at("report").as_object();
  std::string const base = std::string(kPublicUrl) + "/api/v1/jobs/" + id;
  EXPECT_EQ(str(report, "complete"), base + "/complete");
  EXPECT_EQ(str(report, "fail"), base + "/fail");
  EXPECT_EQ(str(report, "heartbeat"), base + "/heartbeat");
}

TEST_F(Push, ATwoHundredWithJsonCompletesTheJobWithThatResult) {
  auto const id = push("json");
  auto const job = job_when(id, "completed");
  EXPECT_EQ(json::serialize(job.at("result")), R"({"thumb":"t.png","pages":3})");
  auto const& attempts = job.at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 1u);
  auto const worker = str(attempts[0].as_object(), "worker_id");
  EXPECT_EQ(worker, "push:127.0.0.1:" + std::to_string(endpoint_.receiver().port())) << "attempts show the pusher";
  EXPECT_EQ(str(attempts[0].as_object(), "outcome"), "completed");
}

TEST_F(Push, ATwoHundredWithTextCompletesWithTheTextAsAString) {
  EXPECT_EQ(json::serialize(job_when(push("text"), "completed").at("result")), R"("plain words")");
}

TEST_F(Push, AnEmptyTwoHundredOrA204CompletesWithANullResult) {
  auto const no_content = push("204");
  auto const empty = push("empty200");
  EXPECT_TRUE(job_when(no_content, "completed").at("result").is_null());
  EXPECT_TRUE(job_when(empty, "completed").at("result").is_null());
}

TEST_F(Push, After202TheEndpointReportsThroughTheApiWithTheLeaseToken) {
  auto const id = push("202");
  auto const body = json::parse(request_for(id).body).as_object();
  Lease const lease{id, str(body, "lease_token"), body.at("job").as_object()};
  // The server leaves the job running on its lease: only the endpoint's report ends it.
  ASSERT_EQ(heartbeat(api(), lease, {{"progress", {{"percent", 50}}}}).status, 200);
  EXPECT_EQ(status_of(api(), id), "running");
  auto const done = expect_json(complete(api(), lease, json::object{{"later", true}}), 200);
  EXPECT_EQ(str(done, "status"), "completed");
  EXPECT_EQ(json::serialize(done.at("result")), R"({"later":true})");
  EXPECT_EQ(endpoint_.receiver().received().size(), 1u) << "pushed once";
}

TEST_F(Push, A400FailsTheJobForGoodWithAnExcerptOfTheReply) {
  auto const id = push("400", {{"max_attempts", 3}});
  auto const job = job_when(id, "failed");
  EXPECT_EQ(job.at("attempts").as_array().size(), 1u) << "no retry after a 4xx";
  auto const error = error_of(job);
  EXPECT_EQ(str(error, "code"), "push_rejected");
  EXPECT_EQ(error.at("retryable"), false);
  auto const message = str(error, "message");
  EXPECT_TRUE(has_substr(message, "HTTP 400")) << message;
  EXPECT_TRUE(has_substr(message, "bad payload: xxx")) << message;
  EXPECT_LT(message.size(), 400u) << "a bounded excerpt of the 1000-byte body";
}

TEST_F(Push, A408And500AreRetriedByTheJobsBackoff) {
  json::object const quick{{"max_attempts", 2}, {"backoff", {{"initial_s", 0.1}, {"jitter", 0}}}};
  for (std::string const reply : {"408", "500"}) {
    auto const id = push(reply, quick);
    auto const job = job_when(id, "failed");
    EXPECT_EQ(job.at("attempts").as_array().size(), 2u) << reply << ": tried again";
    auto const error = error_of(job);
    EXPECT_EQ(str(error, "code"), "push_failed") << reply;
    EXPECT_EQ(error.at("retryable"), true) << reply;
    EXPECT_TRUE(has_substr(str(error, "message"), "HTTP " + reply)) << str(error, "message");
  }
}

TEST_F(Push, RetryAfterInSecondsOrAsADateSetsTheNextAttempt) {
  struct Case {
    std::string reply;
    double seconds;
  };
  for (auto const& c : {Case{"429", 120}, Case{"503date", 3600}}) {
    auto const id = push(c.reply, {{"max_attempts", 2}, {"backoff", {{"initial_s", 1}, {"jitter", 0}}}});
    auto const job = job_when(id, "retrying");
    EXPECT_EQ(str(error_of(job), "code"), "push_failed") << c.reply;
    auto const& attempt = job.at("attempts").as_array()[0].as_object();
    double const delay = static_cast<double>(time_at(job, "run_at") - time_at(attempt, "ended_at")) / 1e6;
    // The date has whole seconds: the delay may fall short of an hour by up to one.
    EXPECT_GE(delay, c.seconds - 1.5) << c.reply << " Retry-After, not the 1 s backoff";
    EXPECT_LE(delay, c.seconds + 0.5) << c.reply;
  }
}

TEST_F(Push, AnEndpointSlowerThanPushTimeoutFailsTheAttemptRetryably) {
  auto const id = push("hold", {{"max_attempts", 1}}, "slow");
  auto const job = job_when(id, "failed");
  endpoint_.open_gate();
  auto const error = error_of(job);
  EXPECT_EQ(str(error, "code"), "push_timeout");
  EXPECT_EQ(error.at("retryable"), true);
  EXPECT_TRUE(has_substr(str(error, "message"), "within 1000 ms")) << str(error, "message");
}

TEST_F(Push, AnEndpointThatRefusesConnectionsFailsTheAttemptRetryably) {
  auto const id = push("json", {{"max_attempts", 1}}, "down");
  auto const error = error_of(job_when(id, "failed"));
  EXPECT_EQ(str(error, "code"), "push_unreachable");
  EXPECT_EQ(error.at("retryable"), true);
  EXPECT_TRUE(has_substr(str(error, "message"), "cannot connect")) << str(error, "message");
}

TEST_F(Push, NoMoreThanPushConcurrencyRequestsAreInFlightAtOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(push("hold", {}, "narrow"));
  ASSERT_TRUE(wait_until(kPushDeadline, [&] { return endpoint_.in_flight() == 3; }));
  EXPECT_EQ(endpoint_.receiver().received().size(), 3u) << "the others wait for room";
  EXPECT_EQ(list_jobs(api(), "queue=narrow&status=queued").at("jobs").as_array().size(), 5u)
      << "jobs beyond the limit are not claimed";
  endpoint_.open_gate();
  for (auto const& id : ids) job_when(id, "completed");
  EXPECT_EQ(endpoint_.most_in_flight(), 3);
  EXPECT_EQ(endpoint_.receiver().received().size(), 8u);
}

TEST_F(Push, MetricsCountRequestsByQueueAndOutcome) {
  job_when(push("json"), "completed");
  job_when(push("400"), "failed");
  auto const text = api().get("/metrics").body;
  EXPECT_TRUE(has_substr(text, "# TYPE corral_push_requests_total counter")) << text;
  EXPECT_TRUE(has_substr(text, "corral_push_requests_total{queue=\"pushed\",outcome=\"completed\"} 1")) << text;
  EXPECT_TRUE(has_substr(text, "corral_push_requests_total{queue=\"pushed\",outcome=\"rejected\"} 1")) << text;
}

TEST(PushSettings, APushUrlOutsideTheAllowListStopsTheServerFromStarting) {
  TempDir dir;
  auto const config = dir.path() / "corral.toml";
  write_file(config, "[queues.thumbs]\npush_url = \"http://example.com/run\"\n");
  auto const r = run_cli({"server", "--listen", "127.0.0.1:0", "--db", "sqlite:" + (dir.path() / "corral.db").string(),
                          "--config", config.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has_substr(r.err, "queues.thumbs.push_url")) << r.err;
  EXPECT_TRUE(has_substr(r.err, "example.com:80")) << r.err;
  EXPECT_TRUE(has_substr(r.err, "webhook_allowed_hosts")) << r.err;
}

}  // namespace
}  // namespace corral::test
