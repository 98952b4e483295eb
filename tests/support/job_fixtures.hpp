// Jobs with every field set, for the tests that check each field survives a trip: the backends' row
// mapping (tests/queue/row_mapping.hpp) and the API's JSON (tests/wire/job_json_test.cpp).
#pragma once

#include "core/job.hpp"

namespace corral::test {

inline core::TimePoint micros(std::int64_t us) { return core::from_unix_micros(us); }

// A job with every field set, each to a value unlike its default and unlike the other fields of its
// type, so that a column bound or read in another's place shows as a wrong value.
inline core::Job every_field_set() {
  core::Job job;
  job.id = "j_01HZX";
  job.type = "email.send";
  job.queue = "mail";
  job.payload = R"({"to":"a@example.com","n":[1,2,{"x":null}],"s":"quote \" and\nnewline é"})";
  job.priority = 10;
  job.status = core::JobState::running;
  job.attempt = 2;
  job.max_attempts = 5;
  job.run_at = micros(1'764'000'000'123'456);
  job.timeout_s = 2.5;
  job.max_run_s = 600;
  job.backoff = core::Backoff{.initial_s = 0.5, .multiplier = 3, .max_s = 120, .jitter = 0.25};
  job.retryable = false;
  job.progress = core::Progress{.percent = 42.5, .stage = "upload", .message = "halfway", .current = 512, .total = 1024};
  job.stages = {
      core::Stage{.name = "download", .status = core::StageStatus::done, .started_at = micros(1'764'000'003'100'000),
                  .ended_at = micros(1'764'000'003'200'000)},
      core::Stage{.name = "upload", .status = core::StageStatus::running, .started_at = micros(1'764'000'003'200'000)},
      core::Stage{.name = "notify"},
  };
  job.estimate = core::ProgressEstimate{.first_at = micros(1'764'000'003'150'000), .first_fraction = 0.125,
                                        .done_at = micros(1'764'000'009'000'000)};
  job.checkpoint = R"({"offset":512})";
  job.result = R"(["partial"])";
  job.error = core::JobError{.code = "lease_expired", .message = "worker vanished", .retryable = true};
  job.attempts = {
      core::Attempt{.number = 1, .started_at = micros(1'764'000'001'000'000), .ended_at = micros(1'764'000'002'000'000),
                    .worker_id = "w1", .outcome = core::AttemptOutcome::lease_expired,
                    .error = core::JobError{.code = "lease_expired", .message = "worker vanished", .retryable = true},
                    .lease_token = "tok-1", .lease = core::Micros(30'000'000)},
      core::Attempt{.number = 2, .started_at = micros(1'764'000'003'000'000), .worker_id = "w2",
                    .lease_token = "tok-2", .lease = core::Micros(2'500'000)},
  };
  job.owner = "team-a";
  job.idempotency_key = "order-77";
  job.metadata = R"({"source":"test"})";
  job.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  job.cancel_requested = true;
  job.lease_expires_at = micros(1'764'000'303'000'007);
  job.worker_id = "w2";
  job.lease_token = "tok-2";
  job.created_at = micros(1'763'999'999'000'001);
  job.updated_at = micros(1'764'000'003'000'002);
  job.started_at = micros(1'764'000'003'000'003);
  job.completed_at = micros(1'764'000'004'000'004);
  job.callback_url = "http://127.0.0.1:8080/done";
  job.webhook = core::Webhook{.delivery_id = "d-1", .state = core::WebhookState::pending, .attempts = 2,
                              .last_error = "HTTP 500", .last_attempt_at = micros(1'764'000'004'500'000),
                              .delivered_at = std::nullopt};
  job.schedule = "nightly-report";
  job.scheduled_for = micros(1'764'000'005'000'000);
  job.concurrency_key = "customer-9";
  job.start_by = micros(1'764'000'500'000'005);
  job.depends_on = {"job_parent_1", "job_parent_2"};
  job.on_parent_failure = core::OnParentFailure::run;
  job.parents = {{"job_parent_1", core::JobState::completed, R"({"rows":3})"}, {"job_parent_2", std::nullopt, std::nullopt}};
  job.batch = "nightly-import";
  return job;
}

// `job` with another value in every field a transition may change, and the fields fixed at enqueue
// as they were.
inline core::Job every_rewritten_field_changed(core::Job job) {
  job.status = core::JobState::failed;
  job.attempt = 3;
  job.run_at = micros(1'764'000'100'000'000);
  job.progress = core::Progress{.percent = 100, .stage = "done"};
  job.stages = {core::Stage{.name = "download", .status = core::StageStatus::done,
                            .started_at = micros(1'764'000'005'100'000), .ended_at = micros(1'764'000'005'500'000)}};
  job.estimate = core::ProgressEstimate{.first_at = micros(1'764'000'005'200'000), .first_fraction = 0.5,
                                        .done_at = micros(1'764'000'005'900'000)};
  job.checkpoint = R"({"offset":1024})";
  job.result = R"({"ok":false})";
  job.error = core::JobError{.code = "boom", .message = "it broke", .retryable = false};
  job.attempts.push_back(core::Attempt{.number = 3, .started_at = micros(1'764'000'005'000'000),
                                       .ended_at = micros(1'764'000'006'000'000), .worker_id = "w3",
                                       .outcome = core::AttemptOutcome::failed, .error = job.error,
                                       .lease_token = "tok-3", .lease = core::Micros(60'000'000)});
  job.cancel_requested = false;
  job.lease_expires_at = std::nullopt;
  job.worker_id = std::nullopt;
  job.lease_token = std::nullopt;
  job.updated_at = micros(1'764'000'006'000'001);
  job.started_at = micros(1'764'000'005'000'000);
  job.completed_at = micros(1'764'000'006'000'002);
  job.webhook = core::Webhook{.delivery_id = "d-2", .state = core::WebhookState::delivered, .attempts = 1,
                              .last_error = std::nullopt, .last_attempt_at = micros(1'764'000'006'500'000),
                              .delivered_at = micros(1'764'000'006'500'000)};
  return job;
}

// The fields fixed at enqueue given other values: an update must not write them.
inline core::Job every_fixed_field_changed(core::Job job) {
  job.type = "other.type";
  job.queue = "other";
  job.payload = R"({"other":true})";
  job.priority = -4;
  job.max_attempts = 9;
  job.timeout_s = 7;
  job.max_run_s = std::nullopt;
  job.backoff = core::Backoff{.initial_s = 1, .multiplier = 1.5, .max_s = 9, .jitter = 0};
  job.retryable = true;
  job.owner = std::nullopt;
  job.idempotency_key = "other-key";
  job.metadata = std::nullopt;
  job.created_at = micros(1);
  job.callback_url = "http://127.0.0.1:9/other";
  job.concurrency_key = "other-customer";
  job.start_by = micros(2);
  return job;
}

}  // namespace corral::test
