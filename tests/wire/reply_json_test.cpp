#include "wire/reply_json.hpp"

#include "wire/job_json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace corral::wire {
namespace {

namespace json = boost::json;

std::string nested_array(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

TEST(ParseReply, ReadsEveryDepthAServerCanSendAndNoDeeper) {
  EXPECT_TRUE(parse_reply(nested_array(kMaxReplyDepth)));
  auto too_deep = parse_reply(nested_array(kMaxReplyDepth + 1));
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code, core::Errc::invalid_json);
}

TEST(ParseReply, RefusesWhatIsNotJson) {
  auto r = parse_reply("<html>bad gateway</html>");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::invalid_json);
}

core::Job a_job(std::string id) {
  core::Job job;
  job.id = std::move(id);
  job.type = "t";
  job.payload = R"({"a":[1,{"b":null}]})";
  return job;
}

TEST(JobsFromJson, ReadsEveryJobOfAListOrFetchReply) {
  std::string reply = R"({"jobs":[)";
  append_json_text(reply, a_job("j1"));
  reply += ",";
  append_json_text(reply, a_job("j2"));
  reply += R"(],"next_cursor":null})";
  auto jobs = jobs_from_json(*parse_reply(reply));
  ASSERT_TRUE(jobs) << jobs.error().message;
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].id, "j1");
  EXPECT_EQ((*jobs)[1].id, "j2");
  EXPECT_EQ((*jobs)[1].payload, a_job("j2").payload);
}

TEST(JobsFromJson, NamesTheJobThatIsMalformed) {
  auto v = json::parse(R"({"jobs":[)" + to_json_text(a_job("j1")) + R"(,{"id":"j2"}]})");
  auto jobs = jobs_from_json(v);
  ASSERT_FALSE(jobs);
  EXPECT_EQ(jobs.error().code, core::Errc::invalid_argument);
  EXPECT_NE(jobs.error().message.find("jobs[1]"), std::string::npos) << jobs.error().message;
  EXPECT_FALSE(jobs_from_json(json::parse(R"({"results":[]})")));
}

}  // namespace
}  // namespace corral::wire
