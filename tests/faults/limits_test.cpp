// Each configurable request limit against the real binary, just under (served) and just over (its
// documented error, nothing written, the server serving on): the request head (max_header_bytes,
// 431), a batch (max_batch_jobs), JSON nesting (json_max_depth) and string length
// (json_max_string_bytes), and the number of waiting long-polls (max_long_polls, 503 with
// Retry-After). The body size is tested so in tests/http/errors_test.cpp.
#include "faults/raw_clients.hpp"
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

// ---- The request head --------------------------------------------------------------------------

class HeaderLimit : public ApiTest {
 protected:
  static constexpr std::size_t kMax = 2048;
  std::vector<std::string> server_args() const override { return {"--max-header-bytes", std::to_string(kMax)}; }
};

// A GET /livez whose head (request line, headers and the blank line) is exactly `bytes` long.
std::string livez_with_head_of(std::size_t bytes) {
  std::string const start = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Fill: ", end = "\r\n\r\n";
  return start + std::string(bytes - start.size() - end.size(), 'a') + end;
}

TEST_F(HeaderLimit, AHeadOfExactlyTheLimitIsServedAndOneByteMoreIs431) {
  EXPECT_EQ(parse_raw_reply(raw_exchange(server_.port(), livez_with_head_of(kMax))).status, 200);
  EXPECT_TRUE(is_error(parse_raw_reply(raw_exchange(server_.port(), livez_with_head_of(kMax + 1))), 431,
                       "invalid_argument", {"max_header_bytes"}));
  EXPECT_EQ(api().get("/livez").status, 200);
}

// ---- JSON bodies -------------------------------------------------------------------------------

class JsonLimits : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    return {"--json-max-depth", "8", "--json-max-string-bytes", "16", "--max-batch-jobs", "5"};
  }
  std::size_t stored_jobs() { return list_jobs(api()).at("jobs").as_array().size(); }
};

// An enqueue whose body nests `depth` levels: the body object, then arrays in the payload.
std::string enqueue_nested(std::size_t depth) {
  return R"({"type":"t","payload":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

TEST_F(JsonLimits, NestingUpToTheDepthLimitIsAcceptedAndOneLevelMoreIs400) {
  EXPECT_EQ(api().request("POST", "/api/v1/jobs", enqueue_nested(8)).status, 201);
  EXPECT_TRUE(is_error(api().request("POST", "/api/v1/jobs", enqueue_nested(9)), 400, "invalid_json",
                       {"json_max_depth"}));
  EXPECT_EQ(stored_jobs(), 1u);
}

TEST_F(JsonLimits, StringsUpToTheLengthLimitAreAcceptedAndOneByteMoreIs400NamingTheField) {
  EXPECT_EQ(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"payload", {{"s", std::string(16, 'x')}}}}).status,
            201);
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"payload", {{"s", std::string(17, 'x')}}}}),
                       400, "invalid_argument", {"payload.s", "16 bytes", "json_max_string_bytes"}));
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs", json::object{{"type", "t"}, {"payload", {{std::string(17, 'k'), 1}}}}),
                       400, "invalid_argument", {"json_max_string_bytes"}));
  EXPECT_EQ(stored_jobs(), 1u);
}

TEST_F(JsonLimits, BatchesUpToTheConfiguredSizeAreAcceptedAndOneJobMoreIs400) {
  auto batch_of = [](int n) {
    json::array jobs;
    for (int i = 0; i < n; ++i) jobs.push_back(json::object{{"type", "t"}});
    return json::object{{"jobs", jobs}};
  };
  EXPECT_TRUE(is_error(api().post("/api/v1/jobs/batch", batch_of(6)), 400, "invalid_argument", {"jobs"}));
  EXPECT_EQ(api().post("/api/v1/jobs/batch", batch_of(5)).status, 201);
  EXPECT_EQ(stored_jobs(), 5u);
}

// ---- Waiting long-polls ------------------------------------------------------------------------

class LongPollLimit : public ApiTest {
 protected:
  static constexpr int kMax = 3;
  std::vector<std::string> server_args() const override { return {"--max-long-polls", std::to_string(kMax)}; }

  // `n` fetches parked on queue "parked", once the server counts them all as waiting.
  std::vector<RawConnection> park(int n) {
    std::vector<RawConnection> parked;
    for (int i = 0; i < n; ++i) {
      parked.emplace_back(server_.port());
      EXPECT_TRUE(parked.back().send(fetch_request("parked", 30)));
    }
    EXPECT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_long_polls") == n; }))
        << gauge(api(), "corral_long_polls") << " waiting";
    return parked;
  }

  // Work for the parked fetches: each gets one job.
  void feed(std::vector<RawConnection>& parked) {
    enqueue_many(api(), static_cast<int>(parked.size()), "t", "parked");
    for (auto& c : parked) {
      auto reply = parse_raw_reply(c.read_reply(kDeadline));
      ASSERT_EQ(reply.status, 200) << describe(reply);
      EXPECT_EQ(reply.json().at("jobs").as_array().size(), 1u) << reply.body;
    }
  }

  Response long_poll_fetch(std::string const& queue) {
    return api().post("/api/v1/fetch", json::object{{"queues", json::array{queue}}, {"wait_s", 30}});
  }
};

TEST_F(LongPollLimit, UpToTheLimitLongPollsParkAndTheOneOverGetsA503WithRetryAfter) {
  auto parked = park(kMax);

  auto over = long_poll_fetch("parked");
  EXPECT_TRUE(is_error(over, 503, "too_many_long_polls", {"max_long_polls"}));
  EXPECT_TRUE(over.headers.contains("retry-after")) << describe(over);
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "elsewhere"}});
  EXPECT_TRUE(is_error(api().get(job_path(id) + "?wait=30"), 503, "too_many_long_polls"));

  feed(parked);
  EXPECT_EQ(status_of(api(), id), "queued") << "the refused requests changed nothing";
}

TEST_F(LongPollLimit, OverTheLimitWhatNeedsNoWaitIsStillAnswered) {
  auto parked = park(kMax);
  auto id = enqueue_id(api(), {{"type", "t"}, {"queue", "ready"}});

  auto ready = expect_json(long_poll_fetch("ready"), 200).at("jobs").as_array();
  ASSERT_EQ(ready.size(), 1u) << "a job that is ready now is handed out without waiting";
  EXPECT_EQ(str(ready[0].as_object(), "id"), id);
  EXPECT_TRUE(fetch(api(), {{"queues", json::array{"ready"}}}).empty()) << "a fetch without wait_s is no long-poll";
  Lease lease{id, str(ready[0].as_object(), "lease_token"), ready[0].as_object()};
  ASSERT_EQ(complete(api(), lease).status, 200);
  EXPECT_EQ(str(expect_json(api().get(job_path(id) + "?wait=30"), 200), "status"), "completed")
      << "a GET ?wait on an ended job answers at once";

  feed(parked);
}

TEST_F(LongPollLimit, OnceTheParkedAreAnsweredNewLongPollsParkAgain) {
  auto parked = park(kMax);
  feed(parked);
  EXPECT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_long_polls") == 0; }));
  auto again = park(kMax);
  feed(again);
}

}  // namespace
}  // namespace corral::test
