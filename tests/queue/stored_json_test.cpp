// The attempt history and progress as both backends store them. The texts below are the on-disk
// format, as every version so far has written it: a change that makes one of these tests fail makes
// existing databases unreadable or differently written, and needs a migration instead.
#include "queue/stored_json.hpp"

#include <gtest/gtest.h>

namespace corral::queue {
namespace {

core::TimePoint t(std::int64_t micros) { return core::from_unix_micros(micros); }

std::vector<core::Attempt> attempts() {
  return {
      core::Attempt{.number = 1, .started_at = t(1'764'000'001'000'000), .ended_at = t(1'764'000'002'500'001),
                    .worker_id = "host-1/w\"1\"", .outcome = core::AttemptOutcome::failed,
                    .error = core::JobError{.code = "boom", .message = "line1\nline2\t\\ \x01 \x7f \xc3\xa9", .retryable = false},
                    .lease_token = "tok-1", .lease = core::Micros(30'000'000)},
      core::Attempt{.number = 2, .started_at = t(1'764'000'003'000'000), .ended_at = std::nullopt,
                    .worker_id = "", .outcome = core::AttemptOutcome::running, .error = std::nullopt,
                    .lease_token = "tok-2", .lease = core::Micros(2'500'000)},
      core::Attempt{.number = 3, .started_at = t(0), .ended_at = t(253'402'300'799'999'999),
                    .worker_id = "w", .outcome = core::AttemptOutcome::released, .error = core::JobError{},
                    .lease_token = "", .lease = core::Micros(123)},
  };
}

// As written by every version since the attempt's lease length was kept.
constexpr std::string_view kAttemptsText =
    R"([{"attempt":1,"started_at":"2025-11-24T16:00:01.000000Z","ended_at":"2025-11-24T16:00:02.500001Z",)"
    R"("worker_id":"host-1/w\"1\"","outcome":"failed","error":{"code":"boom",)"
    "\"message\":\"line1\\nline2\\t\\\\ \\u0001 \x7f \xc3\xa9\",\"retryable\":false},"
    R"("lease_token":"tok-1","lease_s":3E1},)"
    R"({"attempt":2,"started_at":"2025-11-24T16:00:03.000000Z","ended_at":null,"worker_id":"",)"
    R"("outcome":"running","error":null,"lease_token":"tok-2","lease_s":2.5E0},)"
    R"({"attempt":3,"started_at":"1970-01-01T00:00:00.000000Z","ended_at":"9999-12-31T23:59:59.999999Z",)"
    R"("worker_id":"w","outcome":"released","error":{"code":"","message":"","retryable":true},)"
    R"("lease_token":"","lease_s":1.23E-4}])";

std::string stored(std::vector<core::Attempt> const& a) {
  std::string out;
  append_stored_attempts(out, a);
  return out;
}

std::string stored(core::Progress const& p) {
  std::string out;
  append_stored_progress(out, p);
  return out;
}

TEST(StoredJson, AttemptsAreWrittenInTheOnDiskFormat) {
  EXPECT_EQ(stored(attempts()), kAttemptsText);
  EXPECT_EQ(stored(std::vector<core::Attempt>{}), "[]");
}

TEST(StoredJson, AttemptsWrittenInTheOnDiskFormatReadBack) {
  auto back = parse_stored_attempts(kAttemptsText);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, attempts());
  EXPECT_EQ(parse_stored_attempts("[]").value(), std::vector<core::Attempt>{});
}

TEST(StoredJson, AttemptsOfTheFirstVersionsWithoutLeaseTokenOrLengthReadBack) {
  auto back = parse_stored_attempts(
      R"([{"attempt":1,"started_at":"2026-01-01T00:00:00.000000Z","ended_at":null,"worker_id":"w1",)"
      R"("outcome":"running","error":null}])");
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(back->front().lease_token, "");
  EXPECT_EQ(back->front().lease, core::Micros(0));
  EXPECT_EQ(back->front().worker_id, "w1");
}

TEST(StoredJson, AppendingKeepsWhatTheTextAlreadyHolds) {
  std::string out = "x";
  append_stored_attempts(out, {});
  append_stored_progress(out, core::Progress{});
  EXPECT_EQ(out, R"(x[]{"percent":null,"stage":null,"message":null,"current":null,"total":null})");
}

TEST(StoredJson, ProgressIsWrittenInTheOnDiskFormat) {
  // Whole numbers up to 2^53 as integers; other numbers as Boost.JSON writes doubles.
  core::Progress full{.percent = 42.5, .stage = "up\"load", .message = "half\nway", .current = 512, .total = 1e300};
  EXPECT_EQ(stored(full),
            R"({"percent":4.25E1,"stage":"up\"load","message":"half\nway","current":512,"total":1E300})");
  core::Progress whole{.percent = 100, .message = "", .current = -0.0, .total = 9007199254740992.0};
  EXPECT_EQ(stored(whole), R"({"percent":100,"stage":null,"message":"","current":0,"total":9007199254740992})");
  core::Progress beyond{.percent = 0.1, .current = 1e16, .total = -3};
  EXPECT_EQ(stored(beyond), R"({"percent":1E-1,"stage":null,"message":null,"current":1E16,"total":-3})");
  EXPECT_EQ(stored(core::Progress{}), R"({"percent":null,"stage":null,"message":null,"current":null,"total":null})");
}

TEST(StoredJson, ProgressWrittenInTheOnDiskFormatReadsBack) {
  auto back = parse_stored_progress(
      R"({"percent":4.25E1,"stage":"up\"load","message":"half\nway","current":512,"total":1E300})");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, (core::Progress{.percent = 42.5, .stage = "up\"load", .message = "half\nway", .current = 512,
                                   .total = 1e300}));
  EXPECT_EQ(parse_stored_progress(stored(core::Progress{})).value(), core::Progress{});
}

TEST(StoredJson, StagesAreWrittenInTheOnDiskFormatAndReadBack) {
  std::vector<core::Stage> const stages{
      core::Stage{.name = "down\"load", .status = core::StageStatus::done,
                  .started_at = core::from_unix_micros(1'764'000'000'000'001),
                  .ended_at = core::from_unix_micros(1'764'000'001'000'000)},
      core::Stage{.name = "render", .status = core::StageStatus::running,
                  .started_at = core::from_unix_micros(1'764'000'001'000'000)},
      core::Stage{.name = "upload"},
  };
  std::string text;
  append_stored_stages(text, stages);
  EXPECT_EQ(text,
            R"([{"name":"down\"load","status":"done","started_at":"2025-11-24T16:00:00.000001Z","ended_at":"2025-11-24T16:00:01.000000Z"},)"
            R"({"name":"render","status":"running","started_at":"2025-11-24T16:00:01.000000Z","ended_at":null},)"
            R"({"name":"upload","status":"pending","started_at":null,"ended_at":null}])");
  EXPECT_EQ(parse_stored_stages(text).value(), stages);
  EXPECT_EQ(parse_stored_stages(R"([{"name":"a","status":"skipped"}])").error().message,
            "stored stages[0].status is malformed");
}

TEST(StoredJson, TextThatIsNotWhatWasStoredIsRefusedNamingTheField) {
  EXPECT_FALSE(parse_stored_attempts("{}"));
  EXPECT_FALSE(parse_stored_attempts("not json"));
  EXPECT_FALSE(parse_stored_attempts(""));
  EXPECT_EQ(parse_stored_attempts("[1]").error().message, "stored attempts[0] is malformed");
  EXPECT_EQ(parse_stored_attempts(R"([{"attempt":1,"started_at":"2026-01-01T00:00:00.000000Z","outcome":"won"}])")
                .error()
                .message,
            "stored attempts[0].outcome is malformed");
  EXPECT_EQ(parse_stored_attempts(R"([{"attempt":1,"started_at":"2026-01-01T00:00:00Z","outcome":"running"}])")
                .error()
                .message,
            "stored attempts[0].started_at is malformed");
  EXPECT_EQ(parse_stored_attempts(R"([{"started_at":"2026-01-01T00:00:00.000000Z","outcome":"running"}])")
                .error()
                .message,
            "stored attempts[0].attempt is malformed");
  EXPECT_EQ(parse_stored_attempts(R"([{"attempt":1,"started_at":"2026-02-30T00:00:00.000000Z","outcome":"running"}])")
                .error()
                .message,
            "stored attempts[0].started_at is malformed");
  EXPECT_EQ(parse_stored_attempts(
                R"([{"attempt":1,"started_at":"2026-01-01T00:00:00.000000Z","outcome":"failed","error":{"code":1}}])")
                .error()
                .message,
            "stored attempts[0].error is malformed");
  EXPECT_FALSE(parse_stored_progress("[]"));
  EXPECT_EQ(parse_stored_progress(R"({"percent":"half"})").error().message, "stored progress.percent is malformed");
  EXPECT_EQ(parse_stored_progress(R"({"percent":"half"})").error().code, core::Errc::invalid_argument);
}

}  // namespace
}  // namespace corral::queue
