#include "wire/request_json.hpp"

#include "wire/job_json.hpp"

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
  EXPECT_EQ(q->status, std::nullopt);
  EXPECT_EQ(q->queue, std::nullopt);
  EXPECT_EQ(q->type, std::nullopt);
  EXPECT_EQ(q->owner, std::nullopt);
  EXPECT_EQ(q->limit, 50);
  EXPECT_EQ(q->before_seq, std::nullopt);
}

TEST(ParseListQuery, ReadsEveryFilter) {
  auto q = parse_list_query({{"status", "failed"}, {"queue", "mail"}, {"type", "email.send"}, {"owner", "team a"},
                             {"limit", "1000"}, {"cursor", encode_cursor(77)}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, core::JobState::failed);
  EXPECT_EQ(q->queue, "mail");
  EXPECT_EQ(q->type, "email.send");
  EXPECT_EQ(q->owner, "team a");
  EXPECT_EQ(q->limit, 1000);
  EXPECT_EQ(q->before_seq, 77);
}

TEST(ParseListQuery, EmptyValuesCountAsAbsent) {
  auto q = parse_list_query({{"status", ""}, {"queue", ""}, {"type", ""}, {"owner", ""}, {"limit", ""}, {"cursor", ""}});
  ASSERT_TRUE(q) << q.error().message;
  EXPECT_EQ(q->status, std::nullopt);
  EXPECT_EQ(q->queue, std::nullopt);
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
  EXPECT_EQ(error_of(parse_list_query({{"status", "queued"}, {"created_after", "2026-01-01T00:00:00Z"}})),
            "invalid_argument: unknown query parameter \"created_after\" (known: status, queue, type, owner, limit, "
            "cursor)");
  EXPECT_EQ(error_of(parse_list_query({{"priorty", "high"}})).find("invalid_argument: unknown query parameter \"priorty\""),
            0u);
  EXPECT_FALSE(parse_list_query({{"sort", ""}})) << "an empty value is still a parameter the client meant";
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

TEST(ParseGetQuery, UnknownParametersAreRefusedNamingThem) {
  EXPECT_EQ(error_of(parse_get_query({{"wait", "5"}, {"timeout", "5"}})),
            "invalid_argument: unknown query parameter \"timeout\" (known: wait, progress)");
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
