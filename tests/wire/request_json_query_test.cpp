#include "wire/request_json.hpp"

#include "wire/job_json.hpp"
#include "wire/time_format.hpp"

#include "support/results.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace corral::wire {
namespace {

using namespace std::chrono_literals;

using test::error_of;

// --- parse_list_query -------------------------------------------------------------------------

TEST(ParseListQuery, NoParametersListsFiftyNewestOfEverything) {
  auto q = parse_list_query({});
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->filter.statuses.empty());
  EXPECT_EQ(q->filter.queue, std::nullopt);
  EXPECT_EQ(q->filter.type, std::nullopt);
  EXPECT_EQ(q->filter.owner, std::nullopt);
  EXPECT_EQ(q->filter.error_code, std::nullopt);
  EXPECT_EQ(q->filter.error_text, std::nullopt);
  EXPECT_EQ(q->filter.created_after, std::nullopt);
  EXPECT_EQ(q->filter.created_before, std::nullopt);
  EXPECT_EQ(q->sort, api::ListSort::newest);
  EXPECT_FALSE(q->summary);
  EXPECT_FALSE(q->count);
  EXPECT_EQ(q->limit, 50);
  EXPECT_EQ(q->cursor, std::nullopt);
}

TEST(ParseListQuery, ReadsEveryFilter) {
  auto q = parse_list_query({{"status", "failed"}, {"queue", "mail"}, {"type", "email.send"}, {"owner", "team a"},
                             {"error_code", "db.timeout-2"}, {"error_text", "Did Not Answer"},
                             {"created_after", "2026-01-01T00:00:00Z"}, {"created_before", "2026-01-02T01:00:00+01:00"},
                             {"limit", "1000"}, {"cursor", encode_cursor({api::ListSort::newest, 77})}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->filter.statuses, std::vector<core::JobState>{core::JobState::failed});
  EXPECT_EQ(q->filter.queue, "mail");
  EXPECT_EQ(q->filter.type, "email.send");
  EXPECT_EQ(q->filter.owner, "team a");
  EXPECT_EQ(q->filter.error_code, "db.timeout-2");
  EXPECT_EQ(q->filter.error_text, "Did Not Answer");
  EXPECT_EQ(q->filter.created_after, parse_rfc3339("2026-01-01T00:00:00Z"));
  EXPECT_EQ(q->filter.created_before, parse_rfc3339("2026-01-02T00:00:00Z"));
  EXPECT_EQ(q->limit, 1000);
  EXPECT_EQ(q->cursor, (api::ListCursor{api::ListSort::newest, 77}));
}

TEST(ParseListQuery, StatusTakesACommaSeparatedListEachStateOnce) {
  auto q = parse_list_query({{"status", "failed,cancelled,failed"}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->filter.statuses, (std::vector<core::JobState>{core::JobState::failed, core::JobState::cancelled}));
  for (char const* bad : {"failed,", ",failed", "failed,,cancelled", "failed, cancelled", "failed;cancelled"}) {
    EXPECT_EQ(error_of(parse_list_query({{"status", bad}})),
              "invalid_argument: status must be one of queued, scheduled, running, retrying, completed, failed, "
              "cancelled")
        << bad;
  }
}

TEST(ParseListQuery, ReadsSortViewAndCount) {
  auto q = parse_list_query({{"sort", "updated"}, {"view", "summary"}, {"count", "1"}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->sort, api::ListSort::updated);
  EXPECT_TRUE(q->summary);
  EXPECT_TRUE(q->count);
  EXPECT_EQ(parse_list_query({{"sort", "oldest"}})->sort, api::ListSort::oldest);
  EXPECT_EQ(parse_list_query({{"sort", "newest"}})->sort, api::ListSort::newest);
  EXPECT_FALSE(parse_list_query({{"view", "full"}})->summary);
  EXPECT_FALSE(parse_list_query({{"count", "0"}})->count);
  EXPECT_EQ(error_of(parse_list_query({{"sort", "priority"}})), "invalid_argument: sort must be one of newest, oldest, updated");
  EXPECT_EQ(error_of(parse_list_query({{"view", "compact"}})), "invalid_argument: view must be full or summary");
  EXPECT_EQ(error_of(parse_list_query({{"count", "yes"}})), "invalid_argument: count must be 1 or 0");
}

TEST(ParseListQuery, ACursorCountsOnlyWithTheSortItCameFrom) {
  auto const oldest = encode_cursor({api::ListSort::oldest, 9});
  auto const updated = encode_cursor({api::ListSort::updated, 9, 1'780'000'000'000'000});
  EXPECT_EQ(parse_list_query({{"sort", "oldest"}, {"cursor", oldest}})->cursor, (api::ListCursor{api::ListSort::oldest, 9}));
  EXPECT_EQ(parse_list_query({{"sort", "updated"}, {"cursor", updated}})->cursor->updated_us, 1'780'000'000'000'000);
  EXPECT_EQ(error_of(parse_list_query({{"cursor", oldest}})), "invalid_argument: cursor is not valid");
  EXPECT_EQ(error_of(parse_list_query({{"sort", "oldest"}, {"cursor", updated}})), "invalid_argument: cursor is not valid");
  EXPECT_EQ(error_of(parse_list_query({{"sort", "updated"}, {"cursor", encode_cursor({api::ListSort::newest, 9})}})),
            "invalid_argument: cursor is not valid");
}

TEST(ParseListQuery, BadErrorAndTimeFiltersAreNamed) {
  EXPECT_EQ(error_of(parse_list_query({{"error_code", "DB_TIMEOUT"}})),
            "invalid_argument: error_code must be 1..128 characters of a-z 0-9 _ . -");
  EXPECT_EQ(error_of(parse_list_query({{"error_code", std::string(129, 'a')}})),
            "invalid_argument: error_code must be 1..128 characters of a-z 0-9 _ . -");
  EXPECT_TRUE(parse_list_query({{"error_code", std::string(128, 'a')}}));
  EXPECT_EQ(error_of(parse_list_query({{"error_text", std::string(201, 'x')}})),
            "invalid_argument: error_text must be 1..200 characters");
  EXPECT_TRUE(parse_list_query({{"error_text", "\xC3\xA9" + std::string(199, 'x')}})) << "200 characters, 201 bytes";
  EXPECT_EQ(error_of(parse_list_query({{"error_text", "\xFF"}})), "invalid_argument: error_text must be 1..200 characters");
  for (char const* name : {"created_after", "created_before"}) {
    EXPECT_EQ(error_of(parse_list_query({{name, "yesterday"}})),
              "invalid_argument: " + std::string(name) + " must be an RFC 3339 time such as 2026-01-02T03:04:05Z");
  }
}

TEST(ParseListQuery, EmptyValuesCountAsAbsent) {
  auto q = parse_list_query({{"status", ""}, {"queue", ""}, {"type", ""}, {"owner", ""}, {"limit", ""}, {"cursor", ""},
                             {"error_code", ""}, {"error_text", ""}, {"created_after", ""}, {"sort", ""},
                             {"view", ""}, {"count", ""}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_TRUE(q->filter.statuses.empty());
  EXPECT_EQ(q->filter.queue, std::nullopt);
  EXPECT_EQ(q->filter.error_text, std::nullopt);
  EXPECT_EQ(q->sort, api::ListSort::newest);
  EXPECT_EQ(q->limit, 50);
}

TEST(ParseListQuery, RepeatedParameterCountsByItsFirstValue) {
  EXPECT_EQ(parse_list_query({{"limit", "5"}, {"limit", "7"}})->limit, 5);
}

TEST(ParseListQuery, UnknownStatusIsRejectedListingTheStates) {
  for (char const* bad : {"done", "QUEUED", "queued "}) {
    EXPECT_EQ(error_of(parse_list_query({{"status", bad}})),
              "invalid_argument: status must be one of queued, scheduled, running, retrying, completed, failed, "
              "cancelled")
        << bad;
  }
}

TEST(ParseListQuery, InvalidQueueTypeOrOwnerIsNamed) {
  for (auto [name, value] : {std::pair{"queue", "a b"}, std::pair{"type", "x/y"}, std::pair{"owner", "tab\there"}}) {
    auto q = parse_list_query({{name, value}});
    ASSERT_FALSE(q) << name;
    EXPECT_EQ(q.error().code, core::Errc::invalid_argument);
    EXPECT_TRUE(q.error().message.starts_with(std::string(name) + " ")) << q.error().message;
  }
}

TEST(ParseListQuery, LimitIsAnInteger1To1000) {
  EXPECT_EQ(parse_list_query({{"limit", "1"}})->limit, 1);
  for (char const* bad : {"0", "1001", "-1", "1.5", "10x", " 10", "+10", "abc", "99999999999"}) {
    EXPECT_EQ(error_of(parse_list_query({{"limit", bad}})), "invalid_argument: limit must be an integer 1..1000") << bad;
  }
}

TEST(ParseListQuery, CursorThatWasNotIssuedIsRejected) {
  for (char const* bad : {"garbage!", "czo0Mg==", "AAAA"}) {
    EXPECT_EQ(error_of(parse_list_query({{"cursor", bad}})), "invalid_argument: cursor is not valid") << bad;
  }
}

TEST(ParseListQuery, UnknownParametersAreRefusedNamingThem) {
  // A filter the server does not have would otherwise list everything, and look like an answer.
  EXPECT_EQ(error_of(parse_list_query({{"status", "queued"}, {"updated_after", "2026-01-01T00:00:00Z"}})),
            "invalid_argument: unknown query parameter \"updated_after\" (known: status, queue, type, owner, "
            "error_code, error_text, created_after, created_before, sort, view, count, limit, cursor)");
  EXPECT_EQ(error_of(parse_list_query({{"priorty", "high"}})).find("invalid_argument: unknown query parameter \"priorty\""),
            0u);
  EXPECT_FALSE(parse_list_query({{"priority", ""}})) << "an empty value is still a parameter the client meant";
  EXPECT_FALSE(parse_list_query({{"Status", "queued"}})) << "names are case-sensitive";
}

// --- parse_get_query --------------------------------------------------------------------------

TEST(ParseGetQuery, AbsentOrEmptyWaitMeansAnswerAtOnce) {
  EXPECT_EQ(parse_get_query({}).value().wait, 0us);
  EXPECT_EQ(parse_get_query({{"wait", ""}}).value().wait, 0us);
}

TEST(ParseGetQuery, ReadsFractionalSecondsUpTo60) {
  EXPECT_EQ(parse_get_query({{"wait", "0"}}).value().wait, 0us);
  EXPECT_EQ(parse_get_query({{"wait", "1.5"}}).value().wait, 1500ms);
  EXPECT_EQ(parse_get_query({{"wait", "60"}}).value().wait, 60s);
}

TEST(ParseGetQuery, RejectsNegativeTooLongAndNonNumbers) {
  for (char const* bad : {"-1", "60.001", "abc", "5s", "inf", "nan", "1e400", " 5"}) {
    EXPECT_EQ(error_of(parse_get_query({{"wait", bad}})), "invalid_argument: wait must be a number 0..60") << bad;
  }
}

TEST(ParseGetQuery, ProgressNeedsAWaitAndIsOneOrZero) {
  auto const both = parse_get_query({{"wait", "5"}, {"progress", "1"}});
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->progress);
  EXPECT_FALSE(parse_get_query({{"wait", "5"}, {"progress", "0"}}).value().progress);
  EXPECT_FALSE(parse_get_query({{"wait", "5"}}).value().progress);
  for (auto const& alone : {QueryParams{{"progress", "1"}}, QueryParams{{"wait", "0"}, {"progress", "1"}}}) {
    EXPECT_EQ(error_of(parse_get_query(alone)),
              "invalid_argument: progress=1 needs wait=S (more than 0): it waits for a change");
  }
  EXPECT_EQ(error_of(parse_get_query({{"wait", "5"}, {"progress", "yes"}})), "invalid_argument: progress must be 1 or 0");
}

TEST(ParseGetQuery, UpdatedAfterIsATimeAndNeedsProgress) {
  auto const after = parse_get_query({{"wait", "5"}, {"progress", "1"}, {"updated_after", "2026-11-24T15:08:27.583723Z"}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->updated_after, parse_rfc3339("2026-11-24T15:08:27.583723Z"));
  EXPECT_EQ(after->updated_after->time_since_epoch().count() % 1'000'000, 583723) << "to the microsecond";
  EXPECT_FALSE(parse_get_query({{"wait", "5"}, {"progress", "1"}}).value().updated_after);
  EXPECT_EQ(error_of(parse_get_query({{"wait", "5"}, {"updated_after", "2026-11-24T15:08:27Z"}})),
            "invalid_argument: updated_after needs progress=1: it is where a change is measured from");
  for (char const* bad : {"yesterday", "2026-11-24", "2026-13-01T00:00:00Z"}) {
    EXPECT_EQ(error_of(parse_get_query({{"wait", "5"}, {"progress", "1"}, {"updated_after", bad}})),
              "invalid_argument: updated_after must be an RFC 3339 time such as 2026-01-02T03:04:05.123456Z")
        << bad;
  }
}

TEST(ParseGetQuery, UnknownParametersAreRefusedNamingThem) {
  EXPECT_EQ(error_of(parse_get_query({{"wait", "5"}, {"timeout", "5"}})),
            "invalid_argument: unknown query parameter \"timeout\" (known: wait, progress, updated_after)");
}

// --- parse_no_query ---------------------------------------------------------------------------

TEST(ParseNoQuery, AnyParameterIsRefused) {
  EXPECT_TRUE(parse_no_query({}));
  EXPECT_EQ(error_of(parse_no_query({{"verbose", "1"}})),
            "invalid_argument: unknown query parameter \"verbose\" (known: none)");
  EXPECT_FALSE(parse_no_query({{"x", ""}}));
}

}  // namespace
}  // namespace corral::wire
