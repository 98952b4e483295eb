// POST /api/v1/jobs/bulk over HTTP: the reply's exact shape for a run and a dry run, and bad
// bodies refused with 400 invalid_argument and a clear message, changing nothing.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class BulkJobs : public ApiTest {};

Response bulk(Client& api, json::object body) { return api.post("/api/v1/jobs/bulk", body); }

TEST_F(BulkJobs, RetryByIdsRepliesWithMatchedChangedAndSkipped) {
  auto lease = start_job(api());
  ASSERT_EQ(fail(api(), lease, false).status, 200);
  auto queued = enqueue_id(api());
  auto reply = expect_json(bulk(api(), {{"action", "retry"}, {"ids", json::array{lease.id, queued, "job_unknown"}}}), 200);
  EXPECT_EQ(json::value(reply), json::parse(R"({"action":"retry","dry_run":false,"matched":3,"changed":1,"skipped":2})"));
  EXPECT_EQ(status_of(api(), lease.id), "queued");
  EXPECT_EQ(status_of(api(), queued), "queued");
}

TEST_F(BulkJobs, ADryRunRepliesWithWouldChangeAndChangesNothing) {
  auto a = enqueue_id(api(), {{"type", "t"}, {"queue", "dry"}});
  auto b = enqueue_id(api(), {{"type", "t"}, {"queue", "dry"}});
  auto reply = expect_json(
      bulk(api(), {{"action", "cancel"}, {"filter", {{"queue", "dry"}, {"status", "queued"}}}, {"dry_run", true}}), 200);
  EXPECT_EQ(json::value(reply), json::parse(R"({"action":"cancel","dry_run":true,"matched":2,"would_change":2})"));
  EXPECT_EQ(status_of(api(), a), "queued");
  EXPECT_EQ(status_of(api(), b), "queued");
}

TEST_F(BulkJobs, DeleteByAnEmptyFilterDeletesEveryEndedJob) {
  auto ended = enqueue_id(api());
  ASSERT_EQ(cancel(api(), ended).status, 200);
  auto waiting = enqueue_id(api());
  auto reply = expect_json(bulk(api(), {{"action", "delete"}, {"filter", json::object{}}}), 200);
  EXPECT_EQ(json::value(reply), json::parse(R"({"action":"delete","dry_run":false,"matched":2,"changed":1,"skipped":1})"));
  EXPECT_TRUE(is_error(api().get(job_path(ended)), 404, "not_found"));
  EXPECT_EQ(status_of(api(), waiting), "queued");
}

TEST_F(BulkJobs, BadBodiesAre400WithAClearMessageAndChangeNothing) {
  auto id = enqueue_id(api());
  json::array too_many;
  for (int i = 0; i < 1001; ++i) too_many.push_back(json::value(id));
  struct Case {
    json::object body;
    std::string_view named;
  };
  for (auto const& c : std::vector<Case>{
           {{{"action", "restart"}, {"ids", json::array{id}}}, "action must be one of retry, cancel, delete"},
           {{{"ids", json::array{id}}}, "action is required"},
           {{{"action", "cancel"}}, "exactly one of ids and filter"},
           {{{"action", "cancel"}, {"ids", json::array{id}}, {"filter", json::object{}}}, "exactly one of ids and filter"},
           {{{"action", "cancel"}, {"ids", json::array{}}}, "ids must hold 1..1000 job ids"},
           {{{"action", "cancel"}, {"ids", too_many}}, "ids must hold 1..1000 job ids"},
           {{{"action", "cancel"}, {"filter", {{"status", "sleeping"}}}}, "status must be one of"},
           {{{"action", "cancel"}, {"filter", {{"created_after", "soon"}}}}, "created_after must be an RFC 3339 time"},
           {{{"action", "cancel"}, {"filter", {{"colour", "red"}}}}, "unknown field \"filter.colour\""},
       }) {
    EXPECT_TRUE(is_error(bulk(api(), c.body), 400, "invalid_argument", {c.named})) << json::serialize(c.body);
  }
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/bulk", "[1]"), 400, "invalid_argument"));
  EXPECT_EQ(status_of(api(), id), "queued") << "no refused request changed the job";
}

}  // namespace
}  // namespace corral::test
