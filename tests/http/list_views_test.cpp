// GET /api/v1/jobs over HTTP: several states, error and time filters, the sorts and their cursors,
// the summary view, the bounded count, and the 400s that name the bad parameter.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class ListViews : public ApiTest {};

std::vector<std::string> ids(Client& api, std::string const& query) {
  return ids_of(list_jobs(api, query).at("jobs").as_array());
}

// Every page of `query` at `limit` per page, following next_cursor.
std::vector<std::string> paged(Client& api, std::string const& query, int limit) {
  std::vector<std::string> seen;
  std::string q = query + "&limit=" + std::to_string(limit);
  for (int pages = 0; pages < 50; ++pages) {
    auto page = list_jobs(api, q);
    auto page_ids = ids_of(page.at("jobs").as_array());
    seen.insert(seen.end(), page_ids.begin(), page_ids.end());
    if (!page.contains("next_cursor")) return seen;
    q = query + "&limit=" + std::to_string(limit) + "&cursor=" + str(page, "next_cursor");
  }
  ADD_FAILURE() << "paging did not end";
  return seen;
}

TEST_F(ListViews, FiltersBySeveralStatesErrorCodeAndErrorText) {
  auto smtp = start_job(api());
  ASSERT_EQ(fail(api(), smtp, false, "smtp_down").status, 200);
  auto db = start_job(api());
  ASSERT_EQ(fail(api(), db, false, "db_timeout").status, 200);
  auto waiting = enqueue_id(api());
  ASSERT_EQ(cancel(api(), waiting).status, 200);
  auto queued = enqueue_id(api());

  EXPECT_EQ(ids(api(), "status=failed,cancelled"), (std::vector{waiting, db.id, smtp.id}));
  EXPECT_EQ(ids(api(), "status=queued"), std::vector{queued});
  EXPECT_EQ(ids(api(), "error_code=smtp_down"), std::vector{smtp.id});
  EXPECT_EQ(ids(api(), "error_text=DB_TIMEOUT%20happ"), std::vector{db.id}) << "any case, a substring";
  EXPECT_EQ(ids(api(), "status=failed&error_text=happened"), (std::vector{db.id, smtp.id}));
}

TEST_F(ListViews, FiltersByCreationTime) {
  auto first = enqueue(api());
  auto second = enqueue(api());
  auto const at = str(second, "created_at");
  EXPECT_EQ(ids(api(), "created_after=" + at), std::vector{str(second, "id")}) << "created_after is inclusive";
  EXPECT_EQ(ids(api(), "created_before=" + at), std::vector{str(first, "id")}) << "created_before is exclusive";
}

TEST_F(ListViews, EachSortPagesThroughEveryJobOnce) {
  auto enqueued = enqueue_many(api(), 5);
  ASSERT_EQ(cancel(api(), enqueued[1]).status, 200);   // changed last
  std::vector<std::string> newest(enqueued.rbegin(), enqueued.rend());
  EXPECT_EQ(paged(api(), "sort=newest", 2), newest);
  EXPECT_EQ(paged(api(), "sort=oldest", 2), enqueued);
  auto by_change = paged(api(), "sort=updated", 2);
  ASSERT_EQ(by_change.size(), 5u);
  EXPECT_EQ(by_change.front(), enqueued[1]) << "the job changed last comes first";
}

TEST_F(ListViews, ACursorIsRefusedWithAnotherSort) {
  enqueue_many(api(), 3);
  auto const cursor = str(list_jobs(api(), "sort=oldest&limit=1"), "next_cursor");
  EXPECT_EQ(list_jobs(api(), "sort=oldest&limit=1&cursor=" + cursor).at("jobs").as_array().size(), 1u);
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?cursor=" + cursor), 400, "invalid_argument", {"cursor is not valid"}));
  EXPECT_TRUE(is_error(api().get("/api/v1/jobs?sort=updated&cursor=" + cursor), 400, "invalid_argument",
                       {"cursor is not valid"}));
}

TEST_F(ListViews, TheSummaryViewHasNoPayloadResultCheckpointAttemptsOrParentsKey) {
  auto lease = start_job(api(), {{"type", "t"}, {"payload", json::object{{"big", true}}}});
  ASSERT_EQ(complete(api(), lease, json::object{{"done", 1}}).status, 200);
  auto const full = list_jobs(api()).at("jobs").as_array().at(0).as_object();
  auto const summary = list_jobs(api(), "view=summary").at("jobs").as_array().at(0).as_object();
  for (auto const& [key, value] : full) {
    bool const left_out =
        key == "payload" || key == "result" || key == "checkpoint" || key == "attempts" || key == "parents";
    EXPECT_EQ(summary.contains(key), !left_out) << key;
  }
  EXPECT_EQ(summary.size(), full.size() - 5);
  EXPECT_EQ(str(summary, "status"), "completed");
}

TEST_F(ListViews, CountAddsTheTotalOfEveryMatch) {
  enqueue_many(api(), 3);
  auto page = list_jobs(api(), "count=1&limit=1");
  EXPECT_EQ(field(page, "total"), json::value(3));
  EXPECT_EQ(field(page, "total_exact"), json::value(true));
  auto second = list_jobs(api(), "count=1&limit=1&cursor=" + str(page, "next_cursor"));
  EXPECT_EQ(field(second, "total"), json::value(3)) << "not the jobs left after the cursor";
  auto plain = list_jobs(api());
  EXPECT_FALSE(plain.contains("total") || plain.contains("total_exact")) << json::serialize(plain);
}

TEST_F(ListViews, BadNewParametersAre400NamingThem) {
  for (auto const& [query, named] : std::initializer_list<std::pair<char const*, char const*>>{
           {"status=failed,sleeping", "status must be one of"},
           {"error_code=Not%20A%20Code", "error_code must be"},
           {"created_after=tomorrow", "created_after must be an RFC 3339 time"},
           {"created_before=2026-13-01T00:00:00Z", "created_before must be an RFC 3339 time"},
           {"sort=priority", "sort must be one of newest, oldest, updated"},
           {"view=tiny", "view must be full or summary"},
           {"count=yes", "count must be 1 or 0"},
       }) {
    EXPECT_TRUE(is_error(api().get("/api/v1/jobs?" + std::string(query)), 400, "invalid_argument", {named})) << query;
  }
}

}  // namespace
}  // namespace corral::test
