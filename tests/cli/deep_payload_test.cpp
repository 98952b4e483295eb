// A payload nested as deep as the server accepts by default (63 levels: 64 with the enqueue body
// around it) reads back through every client command. Replies nest it deeper than the request
// did ({"jobs": [{"payload": ...}]}), so a client reading replies under the request's limit, or
// Boost.JSON's default of 32, failed here: get and list exited with an error, and the worker
// leased the job, logged nothing and left it to its lease expiry.
#include "support/cli_fixture.hpp"
#include "wire/reply_json.hpp"

#include <boost/json/serialize.hpp>

#include <signal.h>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr int kDepth = 63;

// {"a":{"a":...{}...}}: `levels` objects, one inside the other.
std::string nested_object(int levels) {
  std::string text;
  for (int i = 1; i < levels; ++i) text += R"({"a":)";
  text += "{}";
  text.append(static_cast<std::size_t>(levels - 1), '}');
  return text;
}

json::value parsed(std::string const& text) {
  auto v = wire::parse_reply(text);
  EXPECT_TRUE(v) << text;
  return v ? *v : json::value();
}

using DeepPayload = CliTest;

TEST_F(DeepPayload, GetListAndTheWorkerHandleAPayload63LevelsDeep) {
  auto const payload = nested_object(kDepth);
  auto enqueued = corral({"enqueue", "deep", "--queue", "deep", "--json", "--payload", payload});
  ASSERT_EQ(enqueued.exit_code, 0) << enqueued.err;
  std::string const id(json_reply(enqueued).at("id").as_string());

  auto shown = corral({"get", id});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(has_substr(shown.out, id)) << shown.out;
  auto shown_json = corral({"get", id, "--json"});
  EXPECT_EQ(shown_json.exit_code, 0) << shown_json.err;
  EXPECT_EQ(json_reply(shown_json).at("payload"), parsed(payload));

  auto listed = corral({"list", "--queue", "deep"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(has_substr(listed.out, id)) << listed.out;
  auto listed_json = corral({"list", "--queue", "deep", "--json"});
  EXPECT_EQ(listed_json.exit_code, 0) << listed_json.err;
  auto const page = json_reply(listed_json);
  auto const& jobs = page.at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].at("payload"), parsed(payload));

  // `cat` echoes the payload: the result is the payload, as deep, which the server accepts too.
  auto& worker = start_worker({"--queue", "deep", "--exec", "cat"});
  auto const job = wait_for_status(id, "completed");
  EXPECT_EQ(job.at("result"), parsed(payload)) << worker_log();
  EXPECT_EQ(job.at("attempt"), 1) << worker_log();
  worker.signal(SIGTERM);
  ASSERT_TRUE(worker.wait_for_exit(10s)) << worker_log();
  EXPECT_EQ(worker.exit_code(), 0) << worker_log();
}

}  // namespace
}  // namespace corral::test
