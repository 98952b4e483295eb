// Conformance, the webhook outbox: the change that ends a job with a callback_url writes its
// delivery in the same commit, and only that change; claims hold a delivery for their lease; a
// try's report shows on the job's webhook.
#include "queue/conformance/queue_conformance.hpp"

namespace corral::test {
namespace {

using core::JobState;
using core::WebhookState;

core::EnqueueRequest hooked_request(std::string url = "http://127.0.0.1:9/hook") {
  auto req = job_request();
  req.callback_url = std::move(url);
  return req;
}

queue::DeliveryClaim claim_all() { return queue::DeliveryClaim{100, std::chrono::seconds(60)}; }

std::vector<queue::Delivery> claim(queue::QueueService& svc, Loop& loop) {
  return must(loop.run(svc.claim_deliveries(claim_all()))).due;
}

// The delivery of a job that ended: claimed once, its id on the job's webhook.
queue::Delivery only_delivery_of(queue::QueueService& svc, Loop& loop, core::Job const& job) {
  auto due = claim(svc, loop);
  if (due.size() != 1) throw std::runtime_error("expected one delivery, got " + std::to_string(due.size()));
  EXPECT_EQ(due[0].job_id, job.id);
  EXPECT_EQ(due[0].url, *job.callback_url);
  EXPECT_EQ(due[0].attempts, 0);
  EXPECT_NE(due[0].body.find(job.id), std::string::npos) << "the body is the final job";
  return due[0];
}

// The report of a try of `d` made at `now`: a failure with HTTP 500 unless delivered.
queue::DeliveryReport report(core::TimePoint now, queue::Delivery const& d, WebhookState state,
                             core::TimePoint next = {}) {
  return queue::DeliveryReport{d.id, d.job_id, state, d.attempts + 1,
                               state == WebhookState::delivered ? std::nullopt : std::optional<std::string>("HTTP 500"),
                               now, next == core::TimePoint{} ? now : next};
}

TEST_P(QueueConformance, CompletingAJobWithACallbackWritesExactlyOneDeliveryWithTheCommit) {
  auto const job = enqueue(hooked_request());
  EXPECT_EQ(job.callback_url, "http://127.0.0.1:9/hook");
  EXPECT_FALSE(job.webhook) << "no webhook before the job ends";
  auto const leased = fetch_one();
  auto const done = must(complete(leased.id, *leased.lease_token));
  ASSERT_TRUE(done.webhook) << "the reply to the ending report shows the pending webhook";
  EXPECT_EQ(done.webhook->state, WebhookState::pending);
  EXPECT_EQ(done.webhook->attempts, 0);

  // Committed with the completion: there after a restart, before any try.
  close();
  open();
  auto const d = only_delivery_of(svc(), loop(), done);
  EXPECT_EQ(d.id, done.webhook->delivery_id);
  EXPECT_EQ(must(get(job.id)).webhook, done.webhook);
  EXPECT_TRUE(claim(svc(), loop()).empty()) << "a claimed delivery is not claimed again within its lease";
}

TEST_P(QueueConformance, ChangesThatDoNotEndTheJobWriteNoDelivery) {
  auto req = hooked_request();
  req.max_attempts = 3;
  auto const job = enqueue(req);
  auto const leased = fetch_one();
  must(run(svc().heartbeat(leased.id, queue::HeartbeatRequest{*leased.lease_token})));
  must(fail(leased.id, *leased.lease_token));   // retryable, attempts left: retrying
  EXPECT_EQ(must(get(job.id)).status, JobState::retrying);
  EXPECT_TRUE(claim(svc(), loop()).empty());
  EXPECT_FALSE(must(get(job.id)).webhook);
}

TEST_P(QueueConformance, JobsWithoutACallbackWriteNoDelivery) {
  enqueue(job_request());
  auto const leased = fetch_one();
  must(complete(leased.id, *leased.lease_token));
  EXPECT_TRUE(claim(svc(), loop()).empty());
}

TEST_P(QueueConformance, CancellingAWaitingJobWritesItsDelivery) {
  auto const job = enqueue(hooked_request());
  auto const cancelled = must(run(svc().cancel(job.id)));
  EXPECT_EQ(cancelled.status, JobState::cancelled);
  auto const d = only_delivery_of(svc(), loop(), cancelled);
  EXPECT_NE(d.body.find("cancelled"), std::string::npos);
}

TEST_P(QueueConformance, ARetriedJobThatEndsAgainWritesASecondDelivery) {
  auto req = hooked_request();
  req.retryable = false;
  auto const job = enqueue(req);
  auto leased = fetch_one();
  auto const failed = must(fail(leased.id, *leased.lease_token));
  EXPECT_EQ(failed.status, JobState::failed);
  auto const first = only_delivery_of(svc(), loop(), failed);

  must(run(svc().retry(job.id)));
  leased = fetch_one();
  auto const done = must(complete(leased.id, *leased.lease_token));
  auto const second = only_delivery_of(svc(), loop(), done);
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(done.webhook->delivery_id, second.id);

  // The first delivery's late report does not overwrite the webhook of the job's last end.
  must(run(svc().report_delivery(report(backend_now(), first, WebhookState::delivered))));
  EXPECT_EQ(must(get(job.id)).webhook->state, WebhookState::pending);
}

TEST_P(QueueConformance, ADeliveredReportShowsOnTheJobAndEndsTheDelivery) {
  auto const job = enqueue(hooked_request());
  auto const leased = fetch_one();
  auto const d = only_delivery_of(svc(), loop(), must(complete(leased.id, *leased.lease_token)));
  must(run(svc().report_delivery(report(backend_now(), d, WebhookState::delivered))));
  auto const hook = must(get(job.id)).webhook;
  ASSERT_TRUE(hook);
  EXPECT_EQ(hook->state, WebhookState::delivered);
  EXPECT_EQ(hook->attempts, 1);
  EXPECT_TRUE(hook->delivered_at);
  EXPECT_EQ(must(run(svc().deliveries_pending())), 0);
}

TEST_P(QueueConformance, AFailedTryIsDueAgainAtItsNextAttempt) {
  auto const job = enqueue(hooked_request());
  auto const leased = fetch_one();
  auto const d = only_delivery_of(svc(), loop(), must(complete(leased.id, *leased.lease_token)));
  auto const next = backend_now() + std::chrono::milliseconds(300);
  must(run(svc().report_delivery(report(backend_now(), d, WebhookState::pending, next))));
  auto const hook = must(get(job.id)).webhook;
  EXPECT_EQ(hook->state, WebhookState::pending);
  EXPECT_EQ(hook->attempts, 1);
  EXPECT_EQ(hook->last_error, "HTTP 500");
  EXPECT_EQ(must(run(svc().deliveries_pending())), 1);

  auto const claimed = must(run(svc().claim_deliveries(claim_all())));
  std::vector<queue::Delivery> again;
  if (claimed.now < next) {
    EXPECT_TRUE(claimed.due.empty()) << "not due before its next attempt";
    EXPECT_EQ(claimed.next_due, next);
    ASSERT_TRUE(wait_until(kDeadline, [&] {
      again = claim(svc(), loop());
      return !again.empty();
    }));
  } else {
    again = claimed.due;   // a slow machine came to it after its next attempt: claimed at once
  }
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, d.id);
  EXPECT_EQ(again[0].attempts, 1);
}

TEST_P(QueueConformance, AGivenUpDeliveryShowsFailedAndLeavesTheOutbox) {
  auto const job = enqueue(hooked_request());
  auto const leased = fetch_one();
  auto const d = only_delivery_of(svc(), loop(), must(complete(leased.id, *leased.lease_token)));
  must(run(svc().report_delivery(report(backend_now(), d, WebhookState::failed))));
  EXPECT_EQ(must(get(job.id)).webhook->state, WebhookState::failed);
  EXPECT_EQ(must(run(svc().deliveries_pending())), 0);
  EXPECT_TRUE(claim(svc(), loop()).empty());
}

TEST_P(QueueConformance, TheEndingChangeIsAnnouncedByItsEvent) {
  auto announced = std::make_shared<std::atomic<int>>(0);   // the listener outlives the test body
  svc().events().subscribe([announced](core::JobEvent const& e) {
    if (e.webhook) ++*announced;
  });
  enqueue(hooked_request());
  auto const leased = fetch_one();
  must(complete(leased.id, *leased.lease_token));
  EXPECT_TRUE(wait_until(kDeadline, [&] { return announced->load() == 1; }));
}

}  // namespace
}  // namespace corral::test
