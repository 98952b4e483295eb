// client::Jobs against the real server: each typed call round trips core::Job values, refusals
// come back as ApiError with the server's code and status, and wait() long-polls to the job's
// end or to its own timeout.
#include "client/jobs.hpp"

#include "client/reply_error.hpp"
#include "client/server_fixture.hpp"
#include "client/target.hpp"
#include "support/metrics.hpp"
#include "wire/json_text.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <future>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using core::JobState;

class Jobs : public ServerTest {
 protected:
  // The server's refusal of `call`, which must throw ApiError.
  template <class Call>
  client::ApiError refusal(Call call) {
    try {
      call();
    } catch (client::ApiError const& e) {
      return e;
    }
    ADD_FAILURE() << "no ApiError";
    return client::ApiError(0, "", "");
  }

  // Fetches the job (the only one of `queue`) and completes it with `result`, as a worker would.
  void complete_one(std::string const& queue, json::value const& result) {
    auto api = server_.client();
    auto fetched = api.post("/api/v1/fetch", json::object{{"queues", json::array{json::value(queue)}}});
    ASSERT_EQ(fetched.status, 200) << fetched.body;
    auto const reply = fetched.json();
    ASSERT_FALSE(reply.at("jobs").as_array().empty()) << fetched.body;
    auto const& job = reply.at("jobs").at(0);
    auto target = client::job_target(std::string(job.at("id").as_string()), "complete");
    ASSERT_EQ(api.post(target, json::object{{"lease_token", job.at("lease_token")}, {"result", result}}).status, 200);
  }

};

TEST_F(Jobs, EnqueueAndGetRoundTripEveryFieldGiven) {
  auto& jobs = *jobs_;
  auto made = jobs.enqueue({.type = "report.build",
                            .queue = "reports",
                            .payload = R"({"report":42,"pages":[1,2.5]})",
                            .priority = 10,
                            .max_attempts = 5,
                            .timeout_s = 30,
                            .idempotency_key = "report-42",
                            .owner = "billing",
                            .metadata = R"({"source":"test"})"});
  EXPECT_TRUE(made.created);
  auto const got = jobs.get(made.job.id);
  EXPECT_EQ(got.status, JobState::queued);
  EXPECT_EQ(got.queue, "reports");
  EXPECT_EQ(json::parse(got.payload), json::parse(R"({"report":42,"pages":[1,2.5]})"));
  EXPECT_EQ(got.priority, 10);
  EXPECT_EQ(got.max_attempts, 5);
  EXPECT_EQ(got.timeout_s, 30);
  EXPECT_EQ(got.owner, "billing");
  EXPECT_EQ(got.metadata, R"({"source":"test"})");
  // The same key again, for the same owner (keys are per owner): the same job, not created.
  auto again = jobs.enqueue({.type = "report.build", .idempotency_key = "report-42", .owner = "billing"});
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.job.id, made.job.id);
}

TEST_F(Jobs, ABatchComesBackInRequestOrder) {
  auto& jobs = *jobs_;
  std::vector<core::EnqueueRequest> batch{{.type = "thumb", .payload = R"({"image":"a.png"})"},
                                          {.type = "thumb", .payload = R"({"image":"b.png"})", .delay_s = 30}};
  auto made = jobs.enqueue_batch(batch);
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(json::parse(made[0].payload), json::parse(R"({"image":"a.png"})"));
  EXPECT_EQ(made[0].status, JobState::queued);
  EXPECT_EQ(made[1].status, JobState::scheduled);
}

TEST_F(Jobs, ABatchWithAMinimalReplyNamesEachJobByIdAndStatus) {
  auto& jobs = *jobs_;
  auto known = jobs.enqueue({.type = "thumb", .idempotency_key = "refs-known"}).job;
  std::vector<core::EnqueueRequest> batch{{.type = "thumb", .payload = R"({"image":"a.png"})"},
                                          {.type = "thumb", .delay_s = 30},
                                          {.type = "thumb", .idempotency_key = "refs-known"}};
  auto refs = jobs.enqueue_batch_refs(batch);
  ASSERT_EQ(refs.size(), 3u);
  EXPECT_EQ(refs[0].status, JobState::queued);
  EXPECT_EQ(refs[1].status, JobState::scheduled);
  EXPECT_EQ(refs[2], (client::JobRef{known.id, JobState::queued}));
  EXPECT_EQ(json::parse(jobs.get(refs[0].id).payload), json::parse(R"({"image":"a.png"})"));
}

TEST_F(Jobs, ListFiltersAndPagesWithTheCursor) {
  auto& jobs = *jobs_;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(jobs.enqueue({.type = "paged"}).job.id);
  jobs.enqueue({.type = "other"});

  auto first = jobs.list({.type = "paged", .limit = 2});
  ASSERT_EQ(first.jobs.size(), 2u);
  EXPECT_EQ(first.jobs[0].id, ids[2]);   // newest first
  ASSERT_TRUE(first.next_cursor);
  auto second = jobs.list({.type = "paged", .limit = 2, .cursor = first.next_cursor});
  ASSERT_EQ(second.jobs.size(), 1u);
  EXPECT_EQ(second.jobs[0].id, ids[0]);
  EXPECT_FALSE(second.next_cursor);
  EXPECT_EQ(jobs.list({.status = JobState::queued}).jobs.size(), 4u);
}

TEST_F(Jobs, CancelRetryAndRemove) {
  auto& jobs = *jobs_;
  auto id = jobs.enqueue({.type = "t"}).job.id;
  EXPECT_EQ(jobs.cancel(id).status, JobState::cancelled);
  auto retried = jobs.retry(id);
  EXPECT_EQ(retried.status, JobState::queued);
  EXPECT_EQ(retried.attempt, 0);
  jobs.cancel(id);
  jobs.remove(id);
  EXPECT_EQ(refusal([&] { jobs.get(id); }).code(), "not_found");
}

TEST_F(Jobs, RefusalsCarryTheServersCodeStatusAndMessage) {
  auto& jobs = *jobs_;
  auto missing = refusal([&] { jobs.get("job_nope"); });
  EXPECT_EQ(missing.code(), "not_found");
  EXPECT_EQ(missing.status(), 404);
  EXPECT_EQ(missing.message(), "job job_nope not found");

  auto invalid = refusal([&] { jobs.enqueue({.type = "no spaces"}); });
  EXPECT_EQ(invalid.code(), "invalid_argument");
  EXPECT_EQ(invalid.status(), 400);
  EXPECT_NE(invalid.message().find("type must be"), std::string::npos) << invalid.message();

  auto queued = jobs.enqueue({.type = "t"}).job.id;
  auto wrong_state = refusal([&] { jobs.remove(queued); });
  EXPECT_EQ(wrong_state.code(), "wrong_state");
  EXPECT_EQ(wrong_state.status(), 409);
  EXPECT_EQ(std::string(wrong_state.what()), "wrong_state: " + wrong_state.message());
}

TEST_F(Jobs, WaitReturnsWhenTheJobEnds) {
  auto& jobs = *jobs_;
  auto id = jobs.enqueue({.type = "t", .queue = "waited"}).job.id;
  auto waited = std::async(std::launch::async, [&] { return jobs.wait(id, 60s); });
  auto observer = server_.client();
  ASSERT_TRUE(wait_for_parked(observer, 1));   // waiting on the server, not polling
  complete_one("waited", json::object{{"ok", true}});
  auto job = waited.get();
  EXPECT_EQ(job.status, JobState::completed);
  EXPECT_EQ(job.result, R"({"ok":true})");
}

TEST_F(Jobs, WaitGivesTheJobAsItIsWhenItsTimeoutPasses) {
  auto& jobs = *jobs_;
  auto id = jobs.enqueue({.type = "t", .queue = "nobody"}).job.id;
  auto const started = std::chrono::steady_clock::now();
  auto job = jobs.wait(id, 300ms);
  EXPECT_EQ(job.status, JobState::queued);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  // A job that has ended is returned at once.
  jobs.cancel(id);
  EXPECT_EQ(jobs.wait(id, 60s).status, JobState::cancelled);
}

}  // namespace
}  // namespace corral::test
