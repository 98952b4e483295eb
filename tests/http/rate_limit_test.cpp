// Rate limits per API key (docs/security.md): with key_rate_limit_per_s and key_rate_limit_burst,
// a key's burst passes and the next request gets 429 rate_limited with Retry-After; other keys
// go on; the key passes again once its bucket refills; a waiting long-poll costs one request
// however long it waits; requests without a key (probes, /metrics under metrics_open, a server
// without keys) are never limited. On PostgreSQL too, with CORRAL_TEST_BACKEND=postgres.
//
// No durations are asserted: the bucket starts full and loses tokens only to requests, so the
// first `burst` requests of a new key pass whatever the machine's speed, and the first refusal
// comes within a bounded number of tries.
#include "http/auth_keys.hpp"

#include <atomic>
#include <charconv>
#include <thread>

namespace corral::test {
namespace {

constexpr int kBurst = 5;
// Tries before a key must have been refused: far more than a burst plus what refills meanwhile.
constexpr int kMaxTries = 200;

// A Retry-After of whole seconds, or -1.
long retry_after_of(Response const& r) {
  auto it = r.headers.find("retry-after");
  if (it == r.headers.end()) return -1;
  long seconds = -1;
  auto const [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), seconds);
  return ec == std::errc() && end == it->second.data() + it->second.size() ? seconds : -1;
}

class RateLimits : public KeyedApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    auto args = KeyedApiTest::server_args();
    // metrics_open: the test reads the parked long-polls without spending a key's tokens.
    for (auto const& a : {"--key-rate-limit-per-s", "5", "--key-rate-limit-burst", "5", "--metrics-open"}) {
      args.emplace_back(a);
    }
    return args;
  }

  std::string producer_key() { return key_of({{"role", "producer"}}); }

  // Requests a new key's bucket until one is refused; how many passed, and the refusal.
  std::pair<int, Response> until_refused(Client& c) {
    for (int passed = 0; passed < kMaxTries; ++passed) {
      auto r = c.get("/api/v1/jobs?limit=1");
      if (r.status != 200) return {passed, r};
    }
    throw std::runtime_error("no request was refused in " + std::to_string(kMaxTries) + " tries");
  }
};

TEST_F(RateLimits, AKeysBurstPassesThenItGets429WithRetryAfter) {
  auto key = as(producer_key());
  auto const [passed, refused] = until_refused(key);
  EXPECT_GE(passed, kBurst) << "a new key's whole burst passes";
  EXPECT_TRUE(is_error(refused, 429, "rate_limited", {"retry after"}));
  EXPECT_GE(retry_after_of(refused), 1) << describe(refused);
  EXPECT_EQ(gauge(api(), "corral_http_refusals_total{code=\"rate_limited\"}"), 1) << "counted as a refusal";
}

TEST_F(RateLimits, ARefusedRequestDoesNothing) {
  auto key = as(producer_key());
  int enqueued = 0;
  Response refused;
  for (int i = 0; i < kMaxTries && refused.status == 0; ++i) {
    auto r = key.post("/api/v1/jobs", json::object{{"type", "t"}, {"queue", "limited"}});
    if (r.status == 201) {
      ++enqueued;
    } else {
      refused = r;
    }
  }
  EXPECT_TRUE(is_error(refused, 429, "rate_limited"));
  auto everyone = admin();
  EXPECT_EQ(list_jobs(everyone, "queue=limited&limit=1000").at("jobs").as_array().size(), static_cast<std::size_t>(enqueued));
}

TEST_F(RateLimits, AnotherKeyIsNotHeldBackByAKeyOverItsLimit) {
  auto first = as(producer_key());
  auto second = as(producer_key());
  (void)until_refused(first);
  for (int i = 0; i < kBurst; ++i) EXPECT_EQ(second.get("/api/v1/jobs?limit=1").status, 200) << i;
}

TEST_F(RateLimits, AKeyPassesAgainOnceItsBucketRefills) {
  auto key = as(producer_key());
  auto const refused = until_refused(key).second;
  ASSERT_GE(retry_after_of(refused), 1);
  Response last;
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    last = key.get("/api/v1/jobs?limit=1");
    return last.status == 200;
  })) << describe(last);
}

TEST_F(RateLimits, AWaitingLongPollCostsOneRequestHoweverLongItWaits) {
  auto const key = producer_key();
  auto other = as(producer_key());
  auto const id = enqueue_id(other);
  Background waiting(server_.url(), [&](Client& c) {
    c.add_header("Authorization", "Bearer " + key);
    return c.get(job_path(id) + "?wait=30");
  });
  ASSERT_TRUE(wait_for_parked(api(), 1));
  auto mine = as(key);
  for (int i = 1; i < kBurst; ++i) EXPECT_EQ(mine.get("/api/v1/jobs?limit=1").status, 200) << i;
  expect_json(cancel(other, id), 200);
  auto const ended = expect_json(waiting.reply(), 200);
  EXPECT_EQ(str(ended, "status"), "cancelled");
}

// The server's threads share the key's one bucket: together the clients get its burst, and each
// is then refused like the rest.
TEST_F(RateLimits, ClientsOnSeveralConnectionsShareTheKeysBucket) {
  auto const key = producer_key();
  constexpr int kClients = 4;
  std::atomic<int> passed{0}, refused{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      auto c = as(key);
      for (int n = 0; n < kMaxTries; ++n) {
        auto r = c.get("/api/v1/jobs?limit=1");
        if (r.status == 200) {
          ++passed;
          continue;
        }
        EXPECT_TRUE(is_error(r, 429, "rate_limited"));
        ++refused;
        return;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GE(passed.load(), kBurst);
  EXPECT_EQ(refused.load(), kClients);
}

TEST_F(RateLimits, ProbesAndOpenMetricsAreNeverLimited) {
  auto key = as(producer_key());
  (void)until_refused(key);
  for (auto const* path : {"/livez", "/readyz", "/metrics"}) {
    for (int i = 0; i < 3 * kBurst; ++i) ASSERT_EQ(key.get(path).status, 200) << path << " #" << i;
  }
}

// No key exists, so no request has a key to count against.
class RateLimitsWithoutKeys : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override {
    return {"--key-rate-limit-per-s", "1", "--key-rate-limit-burst", "1"};
  }
};

TEST_F(RateLimitsWithoutKeys, AServerWithoutKeysIsNotLimited) {
  for (int i = 0; i < 5 * kBurst; ++i) ASSERT_EQ(api().get("/api/v1/jobs?limit=1").status, 200) << i;
}

}  // namespace
}  // namespace corral::test
