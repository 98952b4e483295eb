// Many clients and slow clients against the real binary. Thousands of idle connections and a
// thousand parked long-polls neither stop other clients being served nor take unbounded memory;
// connections over max_connections get a clear 503 rather than a hang; a client that sends its
// request a byte at a time (slowloris), or its body so, is closed once read_timeout_s has passed
// since its first byte, though it is never idle for idle_timeout_s.
#include "faults/raw_clients.hpp"
#include "http/api_helpers.hpp"

#include <fstream>
#include <set>

namespace corral::test {
namespace {

constexpr int kIdleConnections = 5000;
constexpr int kLongPolls = 1000;
// Generous: what one idle connection or parked long-poll may cost the server, on average.
constexpr std::int64_t kBudgetPerConnection = 64 * 1024;

// The server's resident memory, from /proc/PID/status.
std::int64_t rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;   // "VmRSS:  1234 kB"
  }
  throw std::runtime_error("no VmRSS for pid " + std::to_string(pid));
}

TEST(ManyConnections, ThousandsOfIdleConnectionsAndLongPollsLeaveOthersServedInBoundedMemory) {
  if (raise_open_file_limit() < kIdleConnections + kLongPolls + 200) {
    GTEST_SKIP() << "the open-file hard limit is too low for " << kIdleConnections + kLongPolls << " connections";
  }
  CorralProcess server;
  server.start();
  Client api(server.url());
  auto const rss_before = rss_bytes(server.pid());

  std::vector<RawConnection> idle;
  idle.reserve(kIdleConnections);
  for (int i = 0; i < kIdleConnections; ++i) idle.emplace_back(server.port());
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api, "corral_http_connections") >= kIdleConnections; }))
      << gauge(api, "corral_http_connections") << " connections open";

  std::vector<RawConnection> polls;
  polls.reserve(kLongPolls);
  for (int i = 0; i < kLongPolls; ++i) {
    polls.emplace_back(server.port());
    ASSERT_TRUE(polls.back().send(fetch_request("parked", 60)));
  }
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api, "corral_long_polls") == kLongPolls; }))
      << gauge(api, "corral_long_polls") << " long-polls waiting";

  // Everyone else is served as usual meanwhile, on new connections and on an idle one.
  auto fresh = Client(server.url());
  auto lease = start_job(fresh);
  EXPECT_EQ(complete(fresh, lease).status, 200);
  EXPECT_EQ(fresh.get("/readyz").status, 200);
  ASSERT_TRUE(idle[kIdleConnections / 2].send(kLivezRequest));
  EXPECT_EQ(parse_raw_reply(idle[kIdleConnections / 2].read_reply(kDeadline)).status, 200);

  auto const growth = rss_bytes(server.pid()) - rss_before;
  std::cout << "RSS growth for " << kIdleConnections + kLongPolls << " connections: " << growth / (1024 * 1024)
            << " MiB\n";
  EXPECT_LT(growth, (kIdleConnections + kLongPolls) * kBudgetPerConnection);

  // Work arrives: every long-poll is answered, each with a job of its own.
  auto ids = enqueue_many(api, kLongPolls, "t", "parked");
  std::set<std::string> handed_out;
  for (auto& poll : polls) {
    auto reply = parse_raw_reply(poll.read_reply(kDeadline));
    ASSERT_EQ(reply.status, 200) << describe(reply);
    auto jobs = reply.json().at("jobs").as_array();
    ASSERT_EQ(jobs.size(), 1u) << reply.body;
    handed_out.insert(str(jobs[0].as_object(), "id"));
  }
  EXPECT_EQ(handed_out, std::set<std::string>(ids.begin(), ids.end()));
  EXPECT_EQ(gauge(api, "corral_long_polls"), 0);

  EXPECT_TRUE(server.stop()) << server.log();
  EXPECT_EQ(server.exit_code(), 0) << server.log();
}

class ConnectionLimit : public ApiTest {
 protected:
  static constexpr int kMax = 20;
  std::vector<std::string> server_args() const override { return {"--max-connections", std::to_string(kMax)}; }

  // Opens a connection and, if the server serves it (a /livez), keeps it in `held`. A place freed
  // by a close is free once the server has seen the close, so callers try until it is.
  bool take_place(std::vector<RawConnection>& held) const {
    RawConnection c(server_.port());
    if (!c.send(kLivezRequest) || parse_raw_reply(c.read_reply(kDeadline)).status != 200) return false;
    held.push_back(std::move(c));
    return true;
  }

  // kMax connections, each served, kept open. The fixture's own client closes its connection
  // first, so the test holds every place.
  std::vector<RawConnection> fill() {
    api_.reset();
    std::vector<RawConnection> held;
    for (int i = 0; i < kMax; ++i) {
      EXPECT_TRUE(wait_until(kDeadline, [&] { return take_place(held); })) << "connection " << i + 1;
    }
    return held;
  }
};

TEST_F(ConnectionLimit, TheConnectionOverTheLimitGetsA503AndTheOthersKeepBeingServed) {
  auto held = fill();

  RawConnection over(server_.port());
  ASSERT_TRUE(over.send(kLivezRequest));
  auto raw = over.read_reply(kDeadline);
  EXPECT_TRUE(is_error(parse_raw_reply(raw), 503, "too_many_connections", {"max_connections"}));
  EXPECT_TRUE(has_substr(raw, "\r\nConnection: close\r\n")) << raw;
  EXPECT_TRUE(has_substr(raw, "\r\nRetry-After: ")) << raw;
  EXPECT_TRUE(over.wait_closed(kDeadline));

  for (auto& c : held) {
    ASSERT_TRUE(c.send(kLivezRequest));
    EXPECT_EQ(parse_raw_reply(c.read_reply(kDeadline)).status, 200);
  }
}

TEST_F(ConnectionLimit, AfterSomeCloseNewConnectionsAreServedAgain) {
  auto held = fill();
  held.erase(held.end() - 5, held.end());   // closes five
  std::vector<RawConnection> again;
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(wait_until(kDeadline, [&] { return take_place(again); })) << "new connection " << i + 1;
  }
  RawConnection over(server_.port());
  ASSERT_TRUE(over.send(kLivezRequest));
  EXPECT_TRUE(is_error(parse_raw_reply(over.read_reply(kDeadline)), 503, "too_many_connections"));
}

// Slow clients: a read timeout of 1 s, an idle timeout far beyond the test's deadline.
class SlowClients : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--read-timeout-s", "1", "--idle-timeout-s", "600"}; }

  // Sends `bytes` one at a time, `gap` apart, as a slow client does. True once the server has
  // closed the connection; false if it took all of them without closing.
  static bool trickle_until_closed(RawConnection& c, std::string const& bytes) {
    constexpr auto kGap = std::chrono::milliseconds(100);
    for (char byte : bytes) {
      if (!c.send(std::string_view(&byte, 1))) return true;
      if (c.wait_closed(kGap)) return true;   // the pause between two bytes
    }
    return false;
  }

  // Other clients are served while the slow one trickles.
  void expect_others_served() {
    auto other = new_client();
    auto lease = start_job(other);
    EXPECT_EQ(complete(other, lease).status, 200);
  }
};

TEST_F(SlowClients, AHeadSentAByteAtATimeIsClosedAfterTheReadTimeout) {
  // Headers that never end: 600 bytes at 10 a second would take a minute.
  std::string const head = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(600, 'a');
  RawConnection slow(server_.port());
  bool closed = false;
  std::thread trickler([&] { closed = trickle_until_closed(slow, head); });
  expect_others_served();
  trickler.join();
  EXPECT_TRUE(closed) << "the server took 600 bytes over a minute without closing";
}

TEST_F(SlowClients, ABodySentAByteAtATimeIsClosedAfterTheReadTimeoutAndWritesNothing) {
  std::string const body = R"({"type":"slow","payload":")" + std::string(600, 'x') + R"("})";
  RawConnection slow(server_.port());
  ASSERT_TRUE(slow.send("POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  bool closed = false;
  std::thread trickler([&] { closed = trickle_until_closed(slow, body); });
  expect_others_served();
  trickler.join();
  EXPECT_TRUE(closed) << "the server took a body over a minute without closing";
  EXPECT_TRUE(list_jobs(api(), "type=slow").at("jobs").as_array().empty());
}

TEST_F(SlowClients, IdleTimeBetweenRequestsDoesNotCountAgainstTheReadTimeout) {
  RawConnection c(server_.port());
  ASSERT_TRUE(c.send(kLivezRequest));
  EXPECT_EQ(parse_raw_reply(c.read_reply(kDeadline)).status, 200);
  // Idle for twice the read timeout (the wait is the point, and nothing ends it early but a close).
  EXPECT_FALSE(c.wait_closed(std::chrono::seconds(2)));
  ASSERT_TRUE(c.send(kLivezRequest));
  EXPECT_EQ(parse_raw_reply(c.read_reply(kDeadline)).status, 200);
}

}  // namespace
}  // namespace corral::test
