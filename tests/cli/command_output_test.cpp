// How `corral worker --exec` reads its command's output (client/command_output.hpp): progress
// lines, the stderr tail of a failure, and stdout as the result. Here, and not in a tests/client
// suite, because the worker command is its one user.
#include "client/command_output.hpp"

#include "support/has_substr.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace corral::client {
namespace {

namespace json = boost::json;
using test::has_substr;

core::Progress progress(double percent, std::optional<std::string> stage = std::nullopt) {
  return core::Progress{.percent = percent, .stage = std::move(stage)};
}

TEST(ProgressLine, ReadsPercentAndStage) {
  EXPECT_EQ(parse_progress_line("progress 40 resizing images"), progress(40, "resizing images"));
  EXPECT_EQ(parse_progress_line("progress 12.5"), progress(12.5));
  EXPECT_EQ(parse_progress_line("progress 40% upload\r"), progress(40, "upload"));
}

TEST(ProgressLine, ClampsThePercent) {
  EXPECT_EQ(parse_progress_line("progress 150"), progress(100));
  EXPECT_EQ(parse_progress_line("progress -5"), progress(0));
}

TEST(ProgressLine, OtherLinesAreNotProgress) {
  for (auto line : {"progress", "progress abc", "progress 40abc", "progressing 40", "Progress 40", "error: progress 40",
                    "progress nan", "progress inf"}) {
    EXPECT_FALSE(parse_progress_line(line)) << line;
  }
}

TEST(StderrScanner, SeparatesProgressFromTheMessage) {
  StderrScanner scanner;
  scanner.feed("starting\nprogress 10 a\nhalf a li");
  scanner.feed("ne\nprogress 20 b\n");
  EXPECT_EQ(scanner.take_progress(), progress(20, "b"));   // the latest
  EXPECT_FALSE(scanner.take_progress());                   // taken once
  scanner.feed("no newline at the end");
  scanner.finish();
  EXPECT_EQ(scanner.tail(), "starting\nhalf a line\nno newline at the end");
}

TEST(StderrScanner, KeepsTheLastTwoKibibytes) {
  StderrScanner scanner;
  for (int i = 0; i < 1000; ++i) scanner.feed("line " + std::to_string(i) + "\n");
  auto tail = scanner.tail();
  EXPECT_LE(tail.size(), StderrScanner::kTailBytes);
  EXPECT_TRUE(has_substr(tail, "line 999"));
  EXPECT_FALSE(has_substr(tail, "line 100\n"));
}

TEST(StderrScanner, AnOverlongLineIsTextEvenIfItStartsLikeProgress) {
  StderrScanner scanner;
  scanner.feed("progress 50 " + std::string(StderrScanner::kMaxLineBytes + 10, 'x') + "\n");
  EXPECT_FALSE(scanner.take_progress());
  EXPECT_FALSE(scanner.tail().empty());
}

TEST(StderrScanner, TheTailIsValidUtf8EvenWhenCutInsideACharacter) {
  StderrScanner scanner;
  std::string euros;
  for (int i = 0; i < 2000; ++i) euros += "\xE2\x82\xAC";   // 3 bytes each: the cut lands mid-character
  scanner.feed(euros + "\n");
  EXPECT_EQ(scanner.tail(), valid_utf8(scanner.tail()));
  EXPECT_EQ(scanner.tail().find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(ValidUtf8, ReplacesOnlyInvalidBytes) {
  EXPECT_EQ(valid_utf8("plain"), "plain");
  EXPECT_EQ(valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(valid_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(valid_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");          // overlong
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");   // surrogate
  EXPECT_EQ(valid_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");          // truncated
}

TEST(ResultFromStdout, JsonWhenItParsesElseAString) {
  EXPECT_EQ(result_from_stdout("{\"ok\":true}\n"), (json::object{{"ok", true}}));
  EXPECT_EQ(result_from_stdout("42"), 42);
  EXPECT_EQ(result_from_stdout("\"quoted\""), "quoted");
  EXPECT_EQ(result_from_stdout("hello world\n"), "hello world");
  EXPECT_EQ(result_from_stdout("{not json"), "{not json");
  EXPECT_EQ(result_from_stdout("bad \xFF byte"), "bad \xEF\xBF\xBD byte");
}

// The result goes out inside {"result": ...}: JSON as deep as a server accepts there by default
// (63 levels under json_max_depth 64) is sent as JSON, deeper as text, so the report is not refused.
TEST(ResultFromStdout, JsonUpToTheDepthTheServerAcceptsDeeperAsText) {
  auto nested = [](int levels) { return std::string(levels, '[') + std::string(levels, ']'); };
  EXPECT_TRUE(result_from_stdout(nested(63)).is_array());
  EXPECT_TRUE(result_from_stdout(nested(64)).is_string());
}

TEST(ResultFromStdout, EmptyOutputIsNoResult) {
  EXPECT_TRUE(result_from_stdout("").is_null());
  EXPECT_TRUE(result_from_stdout(" \n").is_null());
}

}  // namespace
}  // namespace corral::client
