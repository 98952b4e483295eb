// A trace from the caller to the command that runs the job: `corral enqueue --traceparent` gives
// the job its trace, `corral worker --exec` hands the command TRACEPARENT in that trace (with a span
// of its own), and the server's and the worker's log lines about the job carry the trace id.
#include "support/cli_fixture.hpp"
#include "support/wait_until.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <regex>
#include <sstream>

namespace corral::test {
namespace {

namespace json = boost::json;

constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";

class TraceLog : public CliTest {
 protected:
  void SetUp() override { server_.start({"--log-format", "json"}); }
};

// The parsed lines of `log` that mention `text`; each must be one JSON object.
std::vector<json::object> json_lines_with(std::string const& log, std::string const& text) {
  std::vector<json::object> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.find(text) == std::string::npos) continue;
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    EXPECT_TRUE(!ec && v.is_object()) << line;
    if (!ec && v.is_object()) out.push_back(v.get_object());
  }
  return out;
}

TEST_F(TraceLog, TheCallersTraceReachesTheCommandsEnvironmentAndEveryLogLineOfTheJob) {
  auto const enqueued = corral({"enqueue", "traced", "--queue", "tq", "--traceparent", kTraceparent, "--json"});
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  auto const job_id = std::string(json_reply(enqueued).at("id").as_string());
  EXPECT_EQ(json_reply(enqueued).at("trace_id"), kTrace);

  start_worker({"--queue", "tq", "--json", "--exec", R"(printf '"%s"' "$TRACEPARENT")"});
  auto const job = wait_for_status(job_id, "completed");
  auto const traceparent = std::string(job.at("result").as_string());
  // Version 00, the job's trace, a new span of this run (not the caller's), sampled.
  std::smatch m;
  ASSERT_TRUE(std::regex_match(traceparent, m, std::regex("00-([0-9a-f]{32})-([0-9a-f]{16})-01"))) << traceparent;
  EXPECT_EQ(m[1], kTrace);
  EXPECT_NE(m[2], "00f067aa0ba902b7");
  EXPECT_NE(m[2], std::string(16, '0'));

  auto const worker_lines = json_lines_with(worker_log(), job_id);
  ASSERT_FALSE(worker_lines.empty()) << worker_log();
  for (auto const& line : worker_lines) EXPECT_EQ(line.at("trace_id"), kTrace) << json::serialize(line);

  std::vector<json::object> server_lines;
  ASSERT_TRUE(wait_until(std::chrono::seconds(10), [&] {
    server_lines = json_lines_with(server_.log(), job_id);
    return server_lines.size() >= 3;   // enqueued, started, completed
  })) << server_.log();
  for (auto const& line : server_lines) EXPECT_EQ(line.at("trace_id"), kTrace) << json::serialize(line);
}

TEST_F(TraceLog, AnInvalidTraceparentIsAUsageError) {
  auto const result = corral({"enqueue", "t", "--traceparent", "00-nope"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(has_substr(result.err, "traceparent")) << result.err;
}

}  // namespace
}  // namespace corral::test
