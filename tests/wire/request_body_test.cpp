// The client's request bodies are read back by the server's parsers as the values they were made
// from: one field list for both sides, so a renamed field or a changed unit fails here.
#include "wire/request_body.hpp"

#include "wire/json_text.hpp"
#include "wire/request_json.hpp"
#include "wire/time_format.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>

namespace corral::wire {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// The body as the server gets it: serialized as the client sends it, then parsed under the
// server's default limits.
json::value sent(json::object const& body) {
  auto v = parse_body(serialize_json(body));
  if (!v) ADD_FAILURE() << "body does not parse: " << v.error().message;
  return v ? *v : json::value();
}

template <class T>
T parsed(core::Result<T> r) {
  if (!r) ADD_FAILURE() << "rejected: " << r.error().message;
  return r ? std::move(*r) : T{};
}

TEST(RequestBody, EnqueueWithEveryFieldReadsBackTheSame) {
  core::EnqueueRequest r;
  r.type = "email.send";
  r.queue = "mail";
  r.payload = R"({"to":"a@b.c","n":[1,2.5,{"deep":true}]})";
  r.priority = -1000;
  r.run_at = *parse_rfc3339("2026-11-24T14:40:11.123456Z");
  r.delay_s = 2.5;
  r.max_attempts = 7;
  r.timeout_s = 30;
  r.max_run_s = 3600.25;
  r.backoff = {.initial_s = 1, .multiplier = 1.5, .max_s = 600, .jitter = 0.25};
  r.retryable = false;
  r.idempotency_key = "order-42";
  r.owner = "team a";
  r.metadata = R"({"trace":"abc"})";

  auto back = parsed(parse_enqueue(sent(enqueue_body(r))));
  EXPECT_EQ(back.type, r.type);
  EXPECT_EQ(back.queue, r.queue);
  EXPECT_EQ(json::parse(back.payload), json::parse(r.payload));   // 2.5 comes back as 2.5E0
  EXPECT_EQ(back.priority, r.priority);
  EXPECT_EQ(back.run_at, r.run_at);
  EXPECT_EQ(back.delay_s, r.delay_s);
  EXPECT_EQ(back.max_attempts, r.max_attempts);
  EXPECT_EQ(back.timeout_s, r.timeout_s);
  EXPECT_EQ(back.max_run_s, r.max_run_s);
  EXPECT_EQ(back.backoff.initial_s, r.backoff.initial_s);
  EXPECT_EQ(back.backoff.multiplier, r.backoff.multiplier);
  EXPECT_EQ(back.backoff.max_s, r.backoff.max_s);
  EXPECT_EQ(back.backoff.jitter, r.backoff.jitter);
  EXPECT_EQ(back.retryable, r.retryable);
  EXPECT_EQ(back.idempotency_key, r.idempotency_key);
  EXPECT_EQ(back.owner, r.owner);
  EXPECT_EQ(back.metadata, r.metadata);
}

TEST(RequestBody, EnqueueLeavesOutWhatIsNotSet) {
  core::EnqueueRequest r;
  r.type = "t";
  EXPECT_EQ(serialize_json(enqueue_body(r)), R"({"type":"t","payload":{}})");
  auto back = parsed(parse_enqueue(sent(enqueue_body(r))));
  EXPECT_EQ(back.queue, std::nullopt);
  EXPECT_EQ(back.priority, std::nullopt);
  EXPECT_EQ(back.backoff.jitter, std::nullopt);
  EXPECT_EQ(back.metadata, std::nullopt);
}

TEST(RequestBody, EnqueueBatchReadsBackTheSameInOrder) {
  std::vector<core::EnqueueRequest> jobs(2);
  jobs[0].type = "thumb.make";
  jobs[0].payload = R"({"image":"a.png"})";
  jobs[1].type = "thumb.make";
  jobs[1].delay_s = 30;
  jobs[1].idempotency_key = "b";
  auto back = parsed(parse_enqueue_batch(sent(enqueue_batch_body(jobs))));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(json::parse(back[0].payload), json::parse(jobs[0].payload));
  EXPECT_EQ(back[0].delay_s, std::nullopt);
  EXPECT_EQ(back[1].type, "thumb.make");
  EXPECT_EQ(back[1].delay_s, 30);
  EXPECT_EQ(back[1].idempotency_key, "b");
}

TEST(RequestBody, FetchReadsBackTheSame) {
  api::FetchRequest r{.queues = {"b", "a"}, .worker_id = "host:7:1", .count = 100, .wait = 250ms, .lease = 86400s};
  auto back = parsed(parse_fetch(sent(fetch_body(r))));
  EXPECT_EQ(back.queues, r.queues);
  EXPECT_EQ(back.worker_id, r.worker_id);
  EXPECT_EQ(back.count, r.count);
  EXPECT_EQ(back.wait, r.wait);
  EXPECT_EQ(back.lease, r.lease);

  back = parsed(parse_fetch(sent(fetch_body(api::FetchRequest{.queues = {"q"}}))));
  EXPECT_EQ(back.worker_id, "");
  EXPECT_EQ(back.lease, std::nullopt);
}

TEST(RequestBody, HeartbeatReadsBackTheSame) {
  api::HeartbeatRequest r{.lease_token = "tok",
                          // Every field's three cases: a value, a clear (null), and left out.
                          .progress = core::ProgressUpdate{.percent = std::optional<double>(12.5),
                                                           .stage = std::optional<std::string>("resize"),
                                                           .message = std::optional<std::string>(),
                                                           .current = std::optional<double>(3)},
                          .checkpoint = R"({"page":[4,{"x":null}]})",
                          .extend = 90s};
  auto back = parsed(parse_heartbeat(sent(heartbeat_body(r))));
  EXPECT_EQ(back.lease_token, r.lease_token);
  EXPECT_EQ(back.progress, r.progress);
  EXPECT_EQ(back.checkpoint, r.checkpoint);
  EXPECT_EQ(back.extend, r.extend);

  back = parsed(parse_heartbeat(sent(heartbeat_body(api::HeartbeatRequest{.lease_token = "tok"}))));
  EXPECT_EQ(back.progress, std::nullopt);
  EXPECT_EQ(back.checkpoint, std::nullopt);
  EXPECT_EQ(back.extend, std::nullopt);
}

TEST(RequestBody, CompleteReadsBackTheSame) {
  for (std::optional<std::string> result : {std::optional<std::string>(R"({"ok":[1,"two"]})"),
                                            std::optional<std::string>(R"("text")"), std::optional<std::string>()}) {
    auto back = parsed(parse_complete(sent(complete_body(api::CompleteRequest{"tok", result}))));
    EXPECT_EQ(back.lease_token, "tok");
    EXPECT_EQ(back.result, result);
    EXPECT_EQ(back.progress, std::nullopt);
  }
  auto const full = core::ProgressUpdate{.percent = std::optional<double>(100)};
  auto back = parsed(parse_complete(sent(complete_body(api::CompleteRequest{"tok", std::nullopt, full}))));
  EXPECT_EQ(back.progress, full);
}

TEST(RequestBody, FailReadsBackTheSame) {
  api::FailRequest r{.lease_token = "tok",
                     .error = {.code = "exit_3", .message = "disk full\nsee log", .retryable = false},
                     .retry_in = 1500ms};
  auto back = parsed(parse_fail(sent(fail_body(r))));
  EXPECT_EQ(back.lease_token, r.lease_token);
  EXPECT_EQ(back.error, r.error);
  EXPECT_EQ(back.retry_in, r.retry_in);
}

TEST(RequestBody, ReleaseReadsBackTheSame) {
  for (auto delay : {0us, 2500000us}) {
    auto back = parsed(parse_release(sent(release_body(api::ReleaseRequest{"tok", delay}))));
    EXPECT_EQ(back.lease_token, "tok");
    EXPECT_EQ(back.delay, delay);
  }
}

}  // namespace
}  // namespace corral::wire
