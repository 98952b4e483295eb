// Completion webhooks against a real receiver on 127.0.0.1: the final job arrives signed, with
// its delivery id; failed tries are retried (the first within 5 s) until the receiver answers;
// a destination outside the allow-list is refused at enqueue; a delivery committed before a
// SIGKILL arrives after the restart.
#include "http/api_helpers.hpp"
#include "http/configured_api_test.hpp"
#include "http/webhook_check.hpp"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "test-signing-secret";
// How long a test waits for a webhook the server sends by itself, retries included.
constexpr auto kHookDeadline = 30s;

class Webhooks : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    return {"--signing-secret", kSecret, "--webhook-timeout-s", "2"};
  }

  // The job's webhook object once `done` holds of it; throws if not by the deadline.
  json::object webhook_when(std::string const& id, std::function<bool(json::object const&)> done) {
    json::object hook;
    bool const reached = wait_until(kHookDeadline, [&] {
      auto job = get_job(api(), id);
      if (!job.at("webhook").is_object()) return false;
      hook = job.at("webhook").as_object();
      return done(hook);
    });
    if (!reached) throw std::runtime_error("webhook of " + id + " is " + json::serialize(hook));
    return hook;
  }

  json::object delivered(std::string const& id) {
    return webhook_when(id, [](json::object const& h) { return str(h, "state") == "delivered"; });
  }
};

json::object body_of(ReceivedRequest const& r) { return json::parse(r.body).as_object(); }

TEST_F(Webhooks, ACompletedJobIsPostedSignedWithItsDeliveryId) {
  HookReceiver hooks;
  auto lease = start_job(api(), {{"type", "t"}, {"callback_url", hooks.url()}});
  EXPECT_EQ(str(lease.job, "callback_url"), hooks.url());
  EXPECT_TRUE(lease.job.at("webhook").is_null()) << "no webhook before the job ends";
  auto done = expect_json(complete(api(), lease, json::object{{"url", "/r/1"}}), 200);
  EXPECT_EQ(str(done.at("webhook").as_object(), "state"), "pending");

  ASSERT_TRUE(hooks.wait_for(1, kHookDeadline));
  auto const request = hooks.received()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/hook");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_TRUE(signature_valid(request, kSecret)) << request.header("x-corral-signature");
  EXPECT_FALSE(signature_valid(request, "another secret"));
  auto const body = body_of(request);
  EXPECT_EQ(str(body, "id"), lease.id);
  EXPECT_EQ(str(body, "status"), "completed");
  EXPECT_EQ(json::serialize(body.at("result")), R"({"url":"/r/1"})");

  auto const hook = delivered(lease.id);
  EXPECT_EQ(request.header("x-corral-delivery"), str(hook, "delivery_id"));
  EXPECT_EQ(hook.at("attempts"), 1);
  EXPECT_TRUE(hook.at("delivered_at").is_string());
  EXPECT_TRUE(hook.at("last_error").is_null());
}

TEST_F(Webhooks, FailedAndCancelledJobsArePostedToo) {
  HookReceiver hooks;
  auto failing = start_job(api(), {{"type", "t"}, {"callback_url", hooks.url("/failed")}});
  ASSERT_EQ(fail(api(), failing, /*retryable=*/false).status, 200);
  auto const waiting = enqueue_id(api(), {{"type", "t"}, {"callback_url", hooks.url("/cancelled")}});
  ASSERT_EQ(cancel(api(), waiting).status, 200);

  ASSERT_TRUE(hooks.wait_for(2, kHookDeadline));
  std::map<std::string, json::object> by_target;
  for (auto const& r : hooks.received()) {
    EXPECT_TRUE(signature_valid(r, kSecret));
    by_target[r.target] = body_of(r);
  }
  EXPECT_EQ(str(by_target["/failed"], "id"), failing.id);
  EXPECT_EQ(str(by_target["/failed"], "status"), "failed");
  EXPECT_EQ(str(by_target["/cancelled"], "id"), waiting);
  EXPECT_EQ(str(by_target["/cancelled"], "status"), "cancelled");
}

TEST_F(Webhooks, AFailedTryIsRetriedAndTheFirstRetryComesWithinFiveSeconds) {
  HookReceiver hooks;
  hooks.reply_with({500});
  auto lease = start_job(api(), {{"type", "t"}, {"callback_url", hooks.url()}});
  ASSERT_EQ(complete(api(), lease).status, 200);
  ASSERT_TRUE(hooks.wait_for(2, kHookDeadline));
  auto const tries = hooks.received();
  EXPECT_LE(tries[1].at - tries[0].at, 5s) << "the issue's promise: the first retry within 5 s of a failed try";
  EXPECT_EQ(tries[0].header("x-corral-delivery"), tries[1].header("x-corral-delivery"))
      << "a retry is the same delivery, so a receiver can deduplicate";
  EXPECT_EQ(tries[0].body, tries[1].body);

  auto const hook = delivered(lease.id);
  EXPECT_EQ(hook.at("attempts"), 2);
  EXPECT_EQ(str(hook, "last_error"), "HTTP 500");
}

TEST_F(Webhooks, AReceiverThatIsDownIsRetriedUntilItIsUp) {
  int const port = HookReceiver::unused_port();
  auto lease = start_job(api(), {{"type", "t"}, {"callback_url", "http://127.0.0.1:" + std::to_string(port) + "/hook"}});
  ASSERT_EQ(complete(api(), lease).status, 200);
  auto const failing = webhook_when(lease.id, [](json::object const& h) { return h.at("attempts").as_int64() >= 2; });
  EXPECT_EQ(str(failing, "state"), "pending");
  EXPECT_TRUE(has_substr(str(failing, "last_error"), "cannot connect")) << str(failing, "last_error");

  HookReceiver hooks(port);
  ASSERT_TRUE(hooks.wait_for(1, kHookDeadline));
  EXPECT_EQ(str(body_of(hooks.received()[0]), "id"), lease.id);
  EXPECT_GE(delivered(lease.id).at("attempts").as_int64(), 3);
}

TEST_F(Webhooks, ACallbackToAHostOutsideTheAllowListIsRefusedAtEnqueue) {
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"callback_url", "http://example.com/hook"}}),
                       400, "invalid_argument", {"callback_url", "example.com:80", "webhook_allowed_hosts"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"callback_url", "ftp://127.0.0.1/x"}}),
                       400, "invalid_argument", {"callback_url", "http"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"callback_url", 42}}), 400,
                       "invalid_argument", {"callback_url"}));
  auto batch = json::object{{"jobs", json::array{json::object{{"type", "t"}, {"callback_url", "http://127.0.0.1:1/ok"}},
                                                 json::object{{"type", "t"}, {"callback_url", "https://10.0.0.1/x"}}}}};
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", batch), 400, "invalid_argument",
                       {"jobs[1].callback_url", "10.0.0.1:443"}));
  EXPECT_TRUE(list_jobs(api()).at("jobs").as_array().empty()) << "nothing was enqueued";
}

TEST_F(Webhooks, MetricsCountDeliveriesByOutcome) {
  HookReceiver hooks;
  hooks.reply_with({503});
  auto lease = start_job(api(), {{"type", "t"}, {"callback_url", hooks.url()}});
  ASSERT_EQ(complete(api(), lease).status, 200);
  delivered(lease.id);
  auto const text = api().get("/metrics").body;
  EXPECT_TRUE(has_substr(text, "corral_webhook_deliveries_total{outcome=\"delivered\"} 1")) << text;
  EXPECT_TRUE(has_substr(text, "corral_webhook_deliveries_total{outcome=\"retried\"} 1")) << text;
  EXPECT_EQ(gauge(api(), "corral_webhook_deliveries_pending"), 0);
}

TEST_F(Webhooks, ADeliveryCommittedBeforeASigkillArrivesAfterTheRestart) {
  int const port = HookReceiver::unused_port();
  auto lease = start_job(api(), {{"type", "t"}, {"callback_url", "http://127.0.0.1:" + std::to_string(port) + "/hook"}});
  auto const done = expect_json(complete(api(), lease), 200);   // committed: the delivery is in the outbox
  auto const delivery_id = str(done.at("webhook").as_object(), "delivery_id");
  server_.kill();

  HookReceiver hooks(port);
  start_server();
  ASSERT_TRUE(hooks.wait_for(1, kHookDeadline)) << server_.log();
  auto const request = hooks.received()[0];
  EXPECT_EQ(request.header("x-corral-delivery"), delivery_id);
  EXPECT_EQ(str(body_of(request), "id"), lease.id);
  EXPECT_TRUE(signature_valid(request, kSecret));
  EXPECT_EQ(str(delivered(lease.id), "delivery_id"), delivery_id);
}

// A type's callback_url from [job_types.NAME]: its jobs are posted there unless they name another.
class TypeWebhook : public ConfiguredApiTest {
 protected:
  std::string config_toml() const override {
    return "[job_types.hooked]\ncallback_url = \"" + hooks_.url("/typed") + "\"\n";
  }
  HookReceiver hooks_;
};

TEST_F(TypeWebhook, AJobTypesCallbackUrlIsTheDefault) {
  auto typed = start_job(api(), {{"type", "hooked"}});
  EXPECT_EQ(str(typed.job, "callback_url"), hooks_.url("/typed"));
  ASSERT_EQ(complete(api(), typed).status, 200);
  auto own = start_job(api(), {{"type", "hooked"}, {"callback_url", hooks_.url("/own")}});
  ASSERT_EQ(complete(api(), own).status, 200);
  ASSERT_TRUE(hooks_.wait_for(2, kHookDeadline));
  std::set<std::string> targets;
  for (auto const& r : hooks_.received()) targets.insert(r.target);
  EXPECT_EQ(targets, (std::set<std::string>{"/typed", "/own"}));
}

}  // namespace
}  // namespace corral::test
