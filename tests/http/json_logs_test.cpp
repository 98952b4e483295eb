// The server's log as a log pipeline reads it (--log-format json): every line one JSON object that
// a strict parser accepts, whatever the logged text held (quotes, newlines, control bytes, bytes
// that are not UTF-8, a database's error); one line per change to a job with its fields and trace
// id; the reply lines with their request id and job id.
#include "http/api_helpers.hpp"
#include "http/raw_http.hpp"
#include "support/postgres_db.hpp"

#include <sstream>

namespace corral::test {
namespace {

constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";

class JsonLogs : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--log-format", "json", "--log-level", "debug"}; }

  // Every line of the server's log, each parsed; a line that is not one JSON object fails the test.
  std::vector<json::object> lines() const {
    std::vector<json::object> out;
    std::istringstream log(server_.log());
    for (std::string line; std::getline(log, line);) {
      boost::system::error_code ec;
      auto v = json::parse(line, ec);   // refuses invalid UTF-8 and control bytes in strings
      EXPECT_FALSE(ec) << "not JSON (" << ec.message() << "): " << line;
      EXPECT_TRUE(!ec && v.is_object()) << line;
      if (ec || !v.is_object()) continue;
      auto const& o = v.get_object();
      for (auto key : {"time", "level", "message"}) EXPECT_TRUE(o.contains(key) && o.at(key).is_string()) << line;
      out.push_back(o);
    }
    return out;
  }

  // The lines whose `key` is `value`, once at least `n` are in the log.
  std::vector<json::object> lines_with(std::string_view key, std::string_view value, std::size_t n = 1) const {
    std::vector<json::object> found;
    wait_until(kDeadline, [&] {
      found.clear();
      for (auto& o : lines()) {
        if (auto const* v = o.if_contains(key); v && v->is_string() && v->get_string() == value) found.push_back(o);
      }
      return found.size() >= n;
    });
    return found;
  }
};

TEST_F(JsonLogs, EveryLineIsOneJsonObjectAndEachChangeOfAJobIsALineWithItsFields) {
  // A traced job, fetched, failed with a message full of what breaks naive JSON, then completed.
  std::string const body = R"({"type":"t","queue":"logged"})";
  auto const enqueued = expect_json(
      parse_raw_reply(raw_exchange(server_.port(), "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n"
                                                   "Content-Type: application/json\r\ntraceparent: " +
                                                       std::string(kTraceparent) + "\r\nContent-Length: " +
                                                       std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                                       body)),
      201);
  std::string const id = str(enqueued, "id");
  auto lease = fetch_one(api(), {{"queues", json::array{"logged"}}, {"worker_id", "w \"1\""}});
  std::string const nasty = "it said \"no\"\nthen \\ left\ttab \x01\x1f caf\xC3\xA9";
  expect_json(act(api(), id, "fail",
                  {{"lease_token", lease.token}, {"error", {{"code", "bad\"code"}, {"message", nasty}}}, {"retry_in_s", 0}}),
              200);
  ASSERT_TRUE(wait_for_status(api(), id, "queued"));
  lease = fetch_one(api(), {{"queues", json::array{"logged"}}, {"worker_id", "w2"}});
  expect_json(complete(api(), lease, json::object{{"ok", true}}), 200);
  // A path of bytes that are not UTF-8, quoted in the reply's log line.
  EXPECT_NE(api().get("/api/v1/jobs/%FF%22%0A").status, 200);

  ASSERT_EQ(lines_with("kind", "completed").size(), 1u) << server_.log();
  auto const changes = lines_with("job_id", id, 6);
  std::vector<std::string> kinds;
  for (auto const& line : changes) {
    if (!line.contains("kind")) continue;
    kinds.push_back(str(line, "kind"));
    EXPECT_EQ(str(line, "message"), "job " + kinds.back());
    EXPECT_EQ(str(line, "trace_id"), kTrace);
    EXPECT_EQ(str(line, "type"), "t");
    EXPECT_EQ(str(line, "queue"), "logged");
    EXPECT_EQ(str(line, "level"), "info");
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"enqueued", "started", "retrying", "ready", "started", "completed"}));

  auto const retrying = lines_with("kind", "retrying").at(0);
  EXPECT_EQ(str(retrying, "error_message"), nasty);
  EXPECT_EQ(str(retrying, "error_code"), "bad\"code");
  EXPECT_EQ(str(retrying, "worker_id"), "w \"1\"");
  EXPECT_EQ(num(retrying, "attempt"), 1);
  EXPECT_GE(num(retrying, "run_time_s"), 0);
  auto const started = lines_with("kind", "started").at(0);
  EXPECT_GE(num(started, "queue_wait_s"), 0);
  auto const completed = lines_with("kind", "completed").at(0);
  EXPECT_EQ(str(completed, "worker_id"), "w2");
  EXPECT_EQ(num(completed, "attempt"), 2);

  // The reply lines: request id, method, path, status and, on a job's route, the job. A reply's
  // line is written as the reply goes out, so each one looked for is waited for.
  auto const fail_replies = lines_with("path", job_path(id) + "/fail");
  ASSERT_EQ(fail_replies.size(), 1u) << server_.log();
  EXPECT_EQ(str(fail_replies[0], "job_id"), id);
  // A method a job's path does not take is refused (405), and its line still names the job.
  EXPECT_EQ(raw_request(server_.port(), "PUT " + job_path(id) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "")
                .status,
            405);
  std::vector<json::object> refused;
  wait_until(kDeadline, [&] {
    refused.clear();
    for (auto& line : lines_with("path", job_path(id))) {
      if (line.contains("status") && num(line, "status") == 405) refused.push_back(line);
    }
    return !refused.empty();
  });
  ASSERT_EQ(refused.size(), 1u) << server_.log();
  EXPECT_EQ(str(refused[0], "job_id"), id);
  EXPECT_EQ(lines_with("path", "/api/v1/jobs/\xEF\xBF\xBD\"\n").size(), 1u) << server_.log();
  for (auto const& line : lines_with("message", "request", 6)) {
    EXPECT_TRUE(line.contains("request_id") && line.contains("status")) << json::serialize(line);
  }
  lines();   // the whole log, once more: every line parses
}

// A database's error text, quotes and all, logged as it came, inside valid JSON lines.
TEST_F(JsonLogs, APostgresErrorIsLoggedAsValidJson) {
  if (!serves_from_postgres()) GTEST_SKIP() << "a PostgreSQL error: runs under the postgres: prefix";
  auto const db = server_.db_url();
  pg_scalar(db, "ALTER TABLE corral_jobs RENAME TO corral_jobs_away");
  auto const refused = api().post("/api/v1/jobs", json::object{{"type", "t"}});
  pg_scalar(db, "ALTER TABLE corral_jobs_away RENAME TO corral_jobs");
  EXPECT_GE(refused.status, 500) << describe(refused);
  bool quoted = false;
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    for (auto const& line : lines()) {
      if (has_substr(std::string(line.at("message").as_string()), "\"corral_jobs\" does not exist")) quoted = true;
    }
    return quoted;
  })) << server_.log();
  expect_json(api().post("/api/v1/jobs", json::object{{"type", "t"}}), 201);   // and serves again
  lines();
}

}  // namespace
}  // namespace corral::test
