// GET /api/v1/jobs/{id} (with ?wait) and GET /api/v1/jobs: filters, newest-first order, and
// cursor paging.
#include "http/api_helpers.hpp"

#include <memory>

namespace corral::test {
namespace {

class GetJob : public ApiTest {};
class ListJobs : public ApiTest {};

// GET ?wait=60 from another client.
std::unique_ptr<Background> waiting_get(std::string const& url, std::string const& id) {
  return std::make_unique<Background>(url, [id](Client& c) { return c.get(job_path(id) + "?wait=60"); });
}

TEST_F(GetJob, UnknownJobIs404) {
  EXPECT_TRUE(is_error(api().get(job_path("job_doesnotexist")), 404, "not_found"));
  EXPECT_TRUE(is_error(api().get(job_path("job_doesnotexist") + "?wait=1"), 404, "not_found"));
}

TEST_F(GetJob, WaitAnswersAsSoonAsAnotherClientCompletesTheJob) {
  auto lease = start_job(api());
  auto waiting = waiting_get(server_.url(), lease.id);
  ASSERT_TRUE(wait_for_parked(api(), 1));
  ASSERT_EQ(complete(api(), lease, json::object{{"done", 1}}).status, 200);

  auto job = expect_json(waiting->reply(), 200);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(field(job, "result"), json::value(json::object{{"done", 1}}));
  // Not the 60 s the wait allowed: it answered when the job ended.
  EXPECT_LT(waiting->took(), std::chrono::seconds(30));
}

TEST_F(GetJob, WaitAnswersAsSoonAsTheJobIsCancelled) {
  auto id = enqueue_id(api());
  auto waiting = waiting_get(server_.url(), id);
  ASSERT_TRUE(wait_for_parked(api(), 1));
  ASSERT_EQ(cancel(api(), id).status, 200);
  EXPECT_EQ(str(expect_json(waiting->reply(), 200), "status"), "cancelled");
  EXPECT_LT(waiting->took(), std::chrono::seconds(30));
}

TEST_F(GetJob, WaitEndsWithTheCurrentStateWhenTheJobIsNotFinished) {
  auto id = enqueue_id(api());
  auto job = expect_json(api().get(job_path(id) + "?wait=0.3"), 200);
  EXPECT_EQ(str(job, "status"), "queued");
  EXPECT_EQ(job, expect_json(api().get(job_path(id)), 200));
}

TEST_F(ListJobs, AnEmptyDatabaseListsNothingAndHasNoCursor) {
  auto page = list_jobs(api());
  EXPECT_EQ(field(page, "jobs"), json::value(json::array{}));
  EXPECT_FALSE(page.contains("next_cursor")) << json::serialize(page);
}

TEST_F(ListJobs, ListsNewestFirst) {
  auto a = enqueue_id(api());
  auto b = enqueue_id(api());
  auto c = enqueue_id(api());
  EXPECT_EQ(ids_of(list_jobs(api()).at("jobs").as_array()), (std::vector{c, b, a}));
}

TEST_F(ListJobs, JobsOfOneBatchListNewestFirstThoughTheyShareATimestamp) {
  auto ids = enqueue_many(api(), 5);
  std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  EXPECT_EQ(ids_of(list_jobs(api()).at("jobs").as_array()), newest_first);
}

TEST_F(ListJobs, FiltersByStatusQueueTypeAndOwner) {
  auto a = enqueue_id(api(), {{"type", "x"}, {"queue", "q1"}, {"owner", "alice"}});
  auto b = enqueue_id(api(), {{"type", "y"}, {"queue", "q2"}, {"owner", "bob"}});
  auto c = enqueue_id(api(), {{"type", "x"}, {"queue", "q2"}});
  ASSERT_EQ(fetch_one(api(), {{"queues", json::array{"q1"}}}).id, a);

  auto ids = [&](std::string const& query) { return ids_of(list_jobs(api(), query).at("jobs").as_array()); };
  EXPECT_EQ(ids("status=running"), std::vector{a});
  EXPECT_EQ(ids("status=queued"), (std::vector{c, b}));
  EXPECT_EQ(ids("status=completed"), std::vector<std::string>{});
  EXPECT_EQ(ids("queue=q2"), (std::vector{c, b}));
  EXPECT_EQ(ids("type=x"), (std::vector{c, a}));
  EXPECT_EQ(ids("owner=alice"), std::vector{a});
  EXPECT_EQ(ids("type=x&queue=q2"), std::vector{c});
  EXPECT_EQ(ids("type=x&status=queued&queue=q1"), std::vector<std::string>{});
}

TEST_F(ListJobs, OwnerFilterMatchesOwnersWithSpaces) {
  auto a = enqueue_id(api(), {{"type", "t"}, {"owner", "team a"}});
  enqueue_id(api(), {{"type", "t"}, {"owner", "team b"}});
  EXPECT_EQ(ids_of(list_jobs(api(), "owner=team%20a").at("jobs").as_array()), std::vector{a});
}

TEST_F(ListJobs, LimitCapsThePageAndDefaultsToFifty) {
  auto ids = enqueue_many(api(), 51);
  auto two = list_jobs(api(), "limit=2");
  EXPECT_EQ(ids_of(two.at("jobs").as_array()), (std::vector{ids[50], ids[49]}));
  EXPECT_TRUE(two.contains("next_cursor"));

  auto page = list_jobs(api());
  EXPECT_EQ(page.at("jobs").as_array().size(), 50u);
  EXPECT_TRUE(page.contains("next_cursor"));
}

TEST_F(ListJobs, CursorPagingCoversEveryJobExactlyOnceNewestFirst) {
  auto ids = enqueue_many(api(), 10);
  for (int i = 0; i < 15; ++i) ids.push_back(enqueue_id(api()));
  std::vector<std::string> newest_first(ids.rbegin(), ids.rend());

  std::vector<std::string> seen;
  std::vector<std::size_t> page_sizes;
  std::string query = "limit=7";
  for (int pages = 0; pages < 10; ++pages) {
    auto page = list_jobs(api(), query);
    auto page_ids = ids_of(page.at("jobs").as_array());
    page_sizes.push_back(page_ids.size());
    seen.insert(seen.end(), page_ids.begin(), page_ids.end());
    if (pages == 0) enqueue_id(api());  // a job enqueued mid-way is newer than the cursor: not on later pages
    if (!page.contains("next_cursor")) break;
    ASSERT_TRUE(page.at("next_cursor").is_string()) << json::serialize(page);
    query = "limit=7&cursor=" + str(page, "next_cursor");
  }
  EXPECT_EQ(seen, newest_first);
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{7, 7, 7, 4}));
}

TEST_F(ListJobs, APageThatReachesTheEndHasNoCursor) {
  enqueue_many(api(), 3);
  auto page = list_jobs(api(), "limit=3");
  EXPECT_EQ(page.at("jobs").as_array().size(), 3u);
  EXPECT_FALSE(page.contains("next_cursor")) << json::serialize(page);
}

TEST_F(ListJobs, CursorPagingWorksWithFilters) {
  std::vector<std::string> mine;
  for (int i = 0; i < 5; ++i) {
    mine.push_back(enqueue_id(api(), {{"type", "mine"}}));
    enqueue_id(api(), {{"type", "other"}});
  }
  std::vector<std::string> seen;
  std::string query = "type=mine&limit=2";
  for (int pages = 0; pages < 5; ++pages) {
    auto page = list_jobs(api(), query);
    auto page_ids = ids_of(page.at("jobs").as_array());
    seen.insert(seen.end(), page_ids.begin(), page_ids.end());
    if (!page.contains("next_cursor")) break;
    query = "type=mine&limit=2&cursor=" + str(page, "next_cursor");
  }
  EXPECT_EQ(seen, std::vector<std::string>(mine.rbegin(), mine.rend()));
}

TEST_F(ListJobs, BadParametersAre400NamingThem) {
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?cursor=not-a-cursor"), 400, "invalid_argument", {"cursor"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?status=sleeping"), 400, "invalid_argument", {"status"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?queue=no%20spaces"), 400, "invalid_argument", {"queue"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?type=a%2Fb"), 400, "invalid_argument", {"type"}));
}

}  // namespace
}  // namespace corral::test
