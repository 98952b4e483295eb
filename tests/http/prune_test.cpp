// POST /api/v1/jobs/prune: deletes the ended jobs older than older_than_s, of the states and queue
// named, and says how many; a body it cannot act on exactly is refused.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class Prune : public ApiTest {};

std::int64_t pruned(Client& api, json::object const& body) {
  auto reply = expect_json(api.post("/api/v1/jobs/prune", body), 200);
  return field(reply, "pruned").to_number<std::int64_t>();
}

TEST_F(Prune, DeletesEndedJobsOfTheNamedStatesAndQueueAndSaysHowMany) {
  auto done = start_job(api(), {{"type", "t"}, {"queue", "p"}});
  expect_json(complete(api(), done), 200);
  auto broken = start_job(api(), {{"type", "t"}, {"queue", "p"}});
  expect_json(fail(api(), broken, /*retryable=*/false), 200);
  auto other = enqueue_id(api(), {{"type", "t"}, {"queue", "other"}});
  expect_json(cancel(api(), other), 200);
  auto const waiting = enqueue_id(api(), {{"type", "t"}, {"queue", "p"}});

  EXPECT_EQ(pruned(api(), {{"older_than_s", 3600}}), 0) << "every job ended less than an hour ago";
  // A job counts as older than 0 s once the server's clock has moved past its end.
  std::int64_t completed = 0;
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    completed += pruned(api(), {{"older_than_s", 0}, {"status", json::array{"completed"}}, {"queue", "p"}});
    return completed > 0;
  }));
  EXPECT_EQ(completed, 1);
  EXPECT_TRUE(is_error(api().get(job_path(done.id)), 404, "not_found"));
  EXPECT_EQ(status_of(api(), broken.id), "failed");

  EXPECT_EQ(pruned(api(), {{"older_than_s", 0}, {"queue", "p"}}), 1) << "the failed job";
  EXPECT_EQ(status_of(api(), other), "cancelled") << "of another queue";
  EXPECT_EQ(pruned(api(), {{"older_than_s", 0}}), 1) << "the cancelled job";
  EXPECT_EQ(status_of(api(), waiting), "queued");
  EXPECT_EQ(pruned(api(), {{"older_than_s", 0}}), 0);
}

TEST_F(Prune, RefusesABodyItCannotActOnExactly) {
  std::vector<json::object> const bodies = {
      {},                                                                   // older_than_s is required
      {{"older_than_s", -1}},
      {{"older_than_s", "7d"}},
      {{"older_than_s", 0}, {"status", json::array{"queued"}}},            // not an ended state
      {{"older_than_s", 0}, {"status", json::array{}}},
      {{"older_than_s", 0}, {"status", "completed"}},                       // not an array
      {{"older_than_s", 0}, {"queue", ""}},
      {{"older_than_s", 0}, {"before", "2026-01-01T00:00:00Z"}},            // unknown field
  };
  auto const id = enqueue_id(api());
  expect_json(cancel(api(), id), 200);
  for (auto const& body : bodies) {
    EXPECT_TRUE(is_error(api().post("/api/v1/jobs/prune", body), 400, "invalid_argument")) << json::serialize(body);
  }
  EXPECT_EQ(status_of(api(), id), "cancelled") << "nothing was pruned";
}

}  // namespace
}  // namespace corral::test
