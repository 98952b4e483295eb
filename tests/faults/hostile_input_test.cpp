// Hostile input against the real binary: malformed and truncated JSON, invalid UTF-8, absurd
// nesting and numbers, wrong content types, oversized heads, conflicting framing headers and
// header injection, sent as raw bytes. Each gets the 4xx that docs/api.md documents for it, with
// the error body; nothing is written (the job count is unchanged); the server keeps serving.
#include "faults/history.hpp"
#include "http/api_helpers.hpp"
#include "support/raw_socket.hpp"

namespace corral::test {
namespace {

class HostileInput : public ApiTest {};

struct Case {
  std::string name;
  std::string request;   // the raw bytes
  int status;
  std::string code;
};

std::string post(std::string const& target, std::string const& body, std::string const& extra_headers = "",
                 std::string const& content_type = "application/json") {
  std::string head = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!content_type.empty()) head += "Content-Type: " + content_type + "\r\n";
  return head + "Content-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

std::string enqueue_with(std::string const& fields) { return post("/api/v1/jobs", R"({"type":"t",)" + fields + "}"); }

std::string head_of(std::string const& raw) { return raw.substr(0, raw.find("\r\n\r\n")); }

std::vector<Case> body_cases() {
  std::string const deep(100000, '[');
  std::string const balanced = std::string(100000, '[') + std::string(100000, ']');
  return {
      {"truncated object", post("/api/v1/jobs", R"({"type":"t","payload":{"a":[1,2)"), 400, "invalid_json"},
      {"truncated string", post("/api/v1/jobs", R"({"type":"t)"), 400, "invalid_json"},
      {"truncated batch", post("/api/v1/jobs/batch", R"({"jobs":[{"type":"t"},)"), 400, "invalid_json"},
      {"invalid UTF-8 byte", enqueue_with("\"payload\":\"\xff\xfe\""), 400, "invalid_json"},
      {"overlong UTF-8", enqueue_with("\"payload\":\"\xc0\xaf\""), 400, "invalid_json"},
      {"UTF-8 surrogate", enqueue_with("\"payload\":\"\xed\xa0\x80\""), 400, "invalid_json"},
      {"truncated UTF-8 sequence", enqueue_with("\"payload\":\"\xe2\x82\""), 400, "invalid_json"},
      {"100000-deep nesting, unclosed", post("/api/v1/jobs", deep), 400, "invalid_json"},
      {"100000-deep payload, balanced", enqueue_with("\"payload\":" + balanced), 400, "invalid_json"},
      {"100000-deep fetch body", post("/api/v1/fetch", R"({"queues":)" + balanced + "}"), 400, "invalid_json"},
      {"number beyond double", enqueue_with(R"("priority":1e400)"), 400, "invalid_argument"},
      {"number beyond double in the payload", enqueue_with(R"("payload":{"x":-1e400})"), 400, "invalid_argument"},
      {"integer beyond int64", enqueue_with(R"("max_attempts":123456789012345678901234567890)"), 400, "invalid_argument"},
      {"count beyond range", post("/api/v1/fetch", R"({"count":1e20,"wait_s":1e308})"), 400, "invalid_argument"},
      {"NaN", enqueue_with(R"("priority":NaN)"), 400, "invalid_json"},
      {"Infinity", enqueue_with(R"("timeout_s":Infinity)"), 400, "invalid_json"},
      {"text/plain", post("/api/v1/jobs", R"({"type":"t"})", "", "text/plain"), 415, "unsupported_media_type"},
      {"form encoding", post("/api/v1/jobs", R"({"type":"t"})", "", "application/x-www-form-urlencoded"), 415,
       "unsupported_media_type"},
      {"a longer media type", post("/api/v1/jobs", R"({"type":"t"})", "", "application/jsonx"), 415,
       "unsupported_media_type"},
      {"no content type", post("/api/v1/jobs", R"({"type":"t"})", "", ""), 415, "unsupported_media_type"},
  };
}

std::vector<Case> framing_cases() {
  std::string const job = R"({"type":"t"})";
  std::string const start = "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
  return {
      {"headers over 16 KiB", post("/api/v1/jobs", job, "X-Filler: " + std::string(20000, 'a') + "\r\n"), 431,
       "invalid_argument"},
      {"Content-Length with Transfer-Encoding",
       start + "Content-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n" + job + "\r\n0\r\n\r\n", 400,
       "invalid_argument"},
      {"two different Content-Lengths", start + "Content-Length: 12\r\nContent-Length: 5\r\n\r\n" + job, 400,
       "invalid_argument"},
      {"a Content-Length that is not a number", start + "Content-Length: 12abc\r\n\r\n" + job, 400, "invalid_argument"},
      {"a negative Content-Length", start + "Content-Length: -12\r\n\r\n" + job, 400, "invalid_argument"},
      {"a chunk size that is not hex", start + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + job + "\r\n0\r\n\r\n", 400,
       "invalid_argument"},
      {"a bare CR in a header value", start + "X-Request-Id: a\rInjected: yes\r\nContent-Length: 12\r\n\r\n" + job, 400,
       "invalid_argument"},
      {"a NUL in a header value", start + std::string("X-Request-Id: a\0b\r\n", 19) + "Content-Length: 12\r\n\r\n" + job,
       400, "invalid_argument"},
      {"CRLF in the request target", "POST /api/v1/jobs\r\nInjected: yes HTTP/1.1\r\nHost: x\r\n\r\n", 400,
       "invalid_argument"},
  };
}

TEST_F(HostileInput, EachGetsItsDocumented4xxWritesNothingAndTheServerKeepsServing) {
  enqueue_id(api());
  History::Check found;
  auto check_case = [&](Case const& c) {
    SCOPED_TRACE(c.name);
    auto const raw = raw_exchange(server_.port(), c.request);
    auto const reply = parse_raw_reply(raw);
    if (reply.status >= 200 && reply.status < 300) ++found.acknowledged;
    else ++found.failed;
    if (raw.empty()) ++found.no_reply;
    EXPECT_TRUE(is_error(reply, c.status, c.code)) << head_of(raw);
    ASSERT_TRUE(server_.running()) << "the server died on " << c.name << ":\n" << server_.log();
    auto const jobs = list_jobs(api()).at("jobs").as_array().size();
    EXPECT_EQ(jobs, 1u) << "something was written";
    if (jobs != 1u) found.unexpected.insert(c.name);
    EXPECT_EQ(new_client().get("/livez").status, 200);
  };
  for (auto const& c : body_cases()) check_case(c);
  for (auto const& c : framing_cases()) check_case(c);
  report_fault("hostile input (" + std::to_string(body_cases().size() + framing_cases().size()) + " requests)", found,
               "n/a");
}

// A request id carrying CR LF cannot smuggle a header into the reply: the bytes after CR LF are a
// header of the request, and the reply echoes only the id.
TEST_F(HostileInput, ARequestIdCannotInjectAHeaderIntoTheReply) {
  auto const raw = raw_exchange(server_.port(),
                                "GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\r\nX-Injected: yes\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(parse_raw_reply(raw).status, 200) << raw;
  auto const head = head_of(raw);
  EXPECT_NE(head.find("\r\nX-Request-Id: abc\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Injected"), std::string::npos) << head;

  // A folded continuation line (obs-fold) is not echoed as a header line of its own either.
  auto const folded = raw_exchange(server_.port(),
                                   "GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\r\n Injected: yes\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head_of(folded).find("\r\nInjected"), std::string::npos) << folded;
  EXPECT_EQ(head_of(folded).find("\r\n Injected"), std::string::npos) << folded;
  EXPECT_EQ(new_client().get("/livez").status, 200);
}

// Duplicate keys: RFC 8259 leaves their meaning open; Corral must at least answer within the
// contract (201 with one job, or 400) and write at most one job.
TEST_F(HostileInput, DuplicateKeysAnswerWithinTheContract) {
  auto const raw = raw_exchange(server_.port(), enqueue_with(R"("type":"second")"));
  auto const reply = parse_raw_reply(raw);
  EXPECT_TRUE(reply.status == 201 || is_error(reply, 400, "invalid_json") || is_error(reply, 400, "invalid_argument"))
      << raw;
  auto const jobs = list_jobs(api()).at("jobs").as_array();
  EXPECT_EQ(jobs.size(), reply.status == 201 ? 1u : 0u);
  if (reply.status == 201) std::cout << "duplicate key: the job has type " << str(jobs[0].as_object(), "type") << "\n";
}

}  // namespace
}  // namespace corral::test
