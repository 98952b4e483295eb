#include "client/sse_parser.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace corral::client {
namespace {

struct Collected {
  std::vector<SseMessage> messages;
  std::vector<std::string> comments;
  SseParser parser{[this](SseMessage const& m) { messages.push_back(m); },
                   [this](std::string_view c) { comments.emplace_back(c); }};
};

TEST(SseParser, DispatchesEachMessageAtItsBlankLineWithItsTypeDataAndId) {
  Collected c;
  c.parser.feed("id: 1\nevent: started\ndata: {\"a\":1}\n\nid: 2\nevent: completed\ndata: {}\n\n");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].event, "started");
  EXPECT_EQ(c.messages[0].data, "{\"a\":1}");
  EXPECT_EQ(c.messages[0].last_event_id, "1");
  EXPECT_EQ(c.messages[1].last_event_id, "2");
  EXPECT_EQ(c.parser.last_event_id(), "2");
}

TEST(SseParser, JoinsDataLinesWithNewlinesAndDefaultsTheTypeToMessage) {
  Collected c;
  c.parser.feed("data: one\ndata:two\ndata\ndata:  three\n\n");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].event, "message");
  EXPECT_EQ(c.messages[0].data, "one\ntwo\n\n three") << "one space after the colon is dropped, not more";
}

TEST(SseParser, AcceptsCrlfCrAndLfLineEndingsSplitAnywhere) {
  Collected c;
  std::string const stream = "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n";
  for (char ch : stream) c.parser.feed(std::string_view(&ch, 1));
  ASSERT_EQ(c.messages.size(), 3u);
  EXPECT_EQ(c.messages[0].event, "a");
  EXPECT_EQ(c.messages[0].data, "1");
  EXPECT_EQ(c.messages[1].event, "b");
  EXPECT_EQ(c.messages[1].data, "2");
  EXPECT_EQ(c.messages[2].event, "message");
}

TEST(SseParser, ReportsCommentsAndIgnoresUnknownFields) {
  Collected c;
  c.parser.feed(": keep-alive\n:x\nfoo: bar\ndata: d\n\n");
  EXPECT_EQ(c.comments, (std::vector<std::string>{"keep-alive", "x"}));
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].data, "d");
}

TEST(SseParser, AMessageWithoutDataSetsTheIdButIsNotDispatched) {
  Collected c;
  c.parser.feed("id: 5\nevent: ignored\n\ndata: x\n\n");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].event, "message") << "the type of the undispatched message does not carry over";
  EXPECT_EQ(c.messages[0].last_event_id, "5") << "the id stays for later messages";
}

TEST(SseParser, AnIdWithANulIsIgnoredAndRetryTakesDigitsOnly) {
  Collected c;
  c.parser.feed("id: 3\n\n");
  std::string with_nul = "id: 4";
  with_nul += '\0';
  with_nul += "x\nretry: 2500\n\nretry: 1s\n\n";
  c.parser.feed(with_nul);
  EXPECT_EQ(c.parser.last_event_id(), "3");
  EXPECT_EQ(c.parser.retry_ms(), 2500);
}

TEST(SseParser, SkipsALeadingByteOrderMark) {
  Collected c;
  c.parser.feed("\xEF\xBB");
  c.parser.feed("\xBF" "data: x\n\n");
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_EQ(c.messages[0].data, "x");
}

TEST(SseParser, ARestartDropsTheUnfinishedMessageAndKeepsTheLastId) {
  Collected c;
  c.parser.feed("id: 8\ndata: a\n\nid: 9\ndata: half");
  c.parser.restart();
  c.parser.feed("\n\ndata: b\n\n");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[1].data, "b");
  EXPECT_EQ(c.parser.last_event_id(), "9") << "an id line that was complete counts";
}

}  // namespace
}  // namespace corral::client
