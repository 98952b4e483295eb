// Trace ids and request ids over the real API: a W3C traceparent on an enqueue (single or batch)
// gives the job its trace_id, returned in the job and the fetched job; an invalid header is
// ignored, as the spec says, and the job gets a trace of its own. Every reply names its request
// in X-Request-Id, framing errors and refused connections included.
#include "http/api_helpers.hpp"
#include "http/raw_http.hpp"

#include <regex>

namespace corral::test {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kTraceparent[] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

bool is_trace_id(std::string const& s) { return std::regex_match(s, std::regex("[0-9a-f]{32}")) && s != std::string(32, '0'); }

// A POST with extra header lines (each ending in \r\n), over a connection of its own.
std::string raw_post_with(int port, std::string const& target, std::string const& headers, std::string const& body) {
  return raw_exchange(port, "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                                headers + "Content-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body);
}

// The X-Request-Id of a raw reply's head; empty if it has none.
std::string request_id_in(std::string const& raw) {
  constexpr std::string_view kName = "\r\nX-Request-Id: ";
  auto const head = raw.substr(0, raw.find("\r\n\r\n"));
  auto at = head.find(kName);
  if (at == std::string::npos) return "";
  at += kName.size();
  return head.substr(at, head.find("\r\n", at) - at);
}

bool is_made_up_request_id(std::string const& id) { return std::regex_match(id, std::regex("[0-9a-f]{16}")); }

class Trace : public ApiTest {};

TEST_F(Trace, ATraceparentOnEnqueueIsTheJobsTraceIdInTheJobAndTheFetchedJob) {
  auto reply = parse_raw_reply(
      raw_post_with(server_.port(), "/api/v1/jobs", "traceparent: " + std::string(kTraceparent) + "\r\n",
                    R"({"type":"t","queue":"traced"})"));
  auto const job = expect_json(reply, 201);
  EXPECT_EQ(str(job, "trace_id"), kTrace);
  EXPECT_EQ(str(get_job(api(), str(job, "id")), "trace_id"), kTrace);
  auto const lease = fetch_one(api(), {{"queues", json::array{"traced"}}});
  EXPECT_EQ(str(lease.job, "trace_id"), kTrace);
}

TEST_F(Trace, EveryJobOfABatchWithATraceparentJoinsItsTrace) {
  auto reply = parse_raw_reply(raw_post_with(server_.port(), "/api/v1/jobs/batch",
                                             "traceparent: " + std::string(kTraceparent) + "\r\n",
                                             R"({"jobs":[{"type":"a"},{"type":"b"}]})"));
  auto const jobs = expect_json(reply, 201).at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 2u);
  for (auto const& job : jobs) EXPECT_EQ(str(job.as_object(), "trace_id"), kTrace);
}

TEST_F(Trace, WithoutAValidTraceparentEachJobGetsATraceOfItsOwn) {
  std::vector<std::string> traces;
  for (std::string header : {std::string(), "traceparent: 00-" + std::string(kTrace) + "-0000000000000000-01\r\n",
                             std::string("traceparent: garbage\r\n"),
                             std::string("traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01\r\n")}) {
    auto reply = parse_raw_reply(raw_post_with(server_.port(), "/api/v1/jobs", header, R"({"type":"t"})"));
    auto const job = expect_json(reply, 201);   // an invalid header is ignored, never an error
    traces.push_back(str(job, "trace_id"));
    EXPECT_TRUE(is_trace_id(traces.back())) << header << " gave " << traces.back();
    EXPECT_NE(traces.back(), kTrace) << header;
  }
  std::sort(traces.begin(), traces.end());
  EXPECT_EQ(std::unique(traces.begin(), traces.end()), traces.end()) << "each trace drawn anew";
}

TEST_F(Trace, AReplyEchoesASaneRequestIdAndMakesUpOneForAnyOther) {
  auto raw = raw_exchange(server_.port(), "GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: req-42.a:b/c+d=\r\n"
                                          "Connection: close\r\n\r\n");
  EXPECT_EQ(request_id_in(raw), "req-42.a:b/c+d=");
  for (std::string insane : {std::string("has space"), std::string("\"quoted\""), std::string(65, 'a'),
                             std::string("caf\xC3\xA9")}) {
    raw = raw_exchange(server_.port(), "GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + insane +
                                           "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(parse_raw_reply(raw).status, 200);
    EXPECT_TRUE(is_made_up_request_id(request_id_in(raw))) << insane << " -> " << request_id_in(raw);
  }
  raw = raw_exchange(server_.port(), "GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(is_made_up_request_id(request_id_in(raw))) << raw;
}

TEST_F(Trace, FramingErrorsCarryARequestId) {
  // A request line that is not HTTP: 400, with an id made up, as the request's head is unread.
  auto raw = raw_exchange(server_.port(), "GARBAGE\r\n\r\n");
  EXPECT_EQ(parse_raw_reply(raw).status, 400) << raw;
  EXPECT_TRUE(is_made_up_request_id(request_id_in(raw))) << raw;

  // A head over max_header_bytes: 431.
  raw = raw_exchange(server_.port(), "GET /livez HTTP/1.1\r\nHost: x\r\nX-Request-Id: big-head\r\nX-Pad: " +
                                         std::string(20'000, 'p') + "\r\n\r\n");
  EXPECT_EQ(parse_raw_reply(raw).status, 431) << raw.substr(0, 200);
  auto const id = request_id_in(raw);   // the client's, if its field was read before the limit
  EXPECT_TRUE(id == "big-head" || is_made_up_request_id(id)) << raw.substr(0, 200);

  // A body over max_body_bytes: 413, after the head was read, so the client's id is known.
  raw = raw_post_with(server_.port(), "/api/v1/jobs", "X-Request-Id: too-big-1\r\n", std::string(2 << 20, ' '));
  EXPECT_EQ(parse_raw_reply(raw).status, 413);
  EXPECT_EQ(request_id_in(raw), "too-big-1");
}

class TraceConnectionLimit : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--max-connections", "1"}; }
};

TEST_F(TraceConnectionLimit, ARefusedConnectionCarriesARequestId) {
  api_.reset();   // the one place is the test's
  RawConnection held(server_.port());
  ASSERT_TRUE(held.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(parse_raw_reply(held.read_reply(kDeadline)).status, 200);
  RawConnection over(server_.port());
  ASSERT_TRUE(over.send("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto const raw = over.read_reply(kDeadline);
  EXPECT_TRUE(is_error(parse_raw_reply(raw), 503, "too_many_connections"));
  EXPECT_TRUE(is_made_up_request_id(request_id_in(raw))) << raw;
}

}  // namespace
}  // namespace corral::test
