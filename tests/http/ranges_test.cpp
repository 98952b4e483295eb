// The contract's bounds, each tried just inside (accepted) and just outside (400
// invalid_argument naming the field), for every endpoint that takes numbers or names.
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

// A request body fragment and the field a 400 must name; an empty `names` means "accepted".
struct Bound {
  json::object fields;
  std::string names;
};

std::string chars(std::size_t n, char c = 'x') { return std::string(n, c); }

class Ranges : public ApiTest {
 protected:
  // Sends `base` + each bound's fields to `send`, expecting `ok_status` inside, 400 outside.
  template <class Send>
  void check(std::vector<Bound> const& bounds, json::object const& base, int ok_status, Send send) {
    for (auto const& bound : bounds) {
      auto body = merged(base, bound.fields);
      SCOPED_TRACE(json::serialize(body));
      auto reply = send(body);
      if (bound.names.empty()) {
        EXPECT_EQ(reply.status, ok_status) << describe(reply);
      } else {
        EXPECT_TRUE(is_error(reply, 400, "invalid_argument", {bound.names}));
      }
    }
  }
};

TEST_F(Ranges, EnqueueAcceptsEachBoundAndRejectsJustBeyondItNamingTheField) {
  std::vector<Bound> bounds = {
      {{{"type", "a"}}, ""},
      {{{"type", chars(128)}}, ""},
      {{{"type", "AZaz09._:-"}}, ""},
      {{{"type", ""}}, "type"},
      {{{"type", chars(129)}}, "type"},
      {{{"type", "a b"}}, "type"},
      {{{"type", "a/b"}}, "type"},
      {{{"queue", "q"}}, ""},
      {{{"queue", chars(128, 'q')}}, ""},
      {{{"queue", ""}}, "queue"},
      {{{"queue", chars(129, 'q')}}, "queue"},
      {{{"queue", "q!"}}, "queue"},
      {{{"priority", -1000}}, ""},
      {{{"priority", 1000}}, ""},
      {{{"priority", -1001}}, "priority"},
      {{{"priority", 1001}}, "priority"},
      {{{"priority", "urgent"}}, "priority"},
      {{{"priority", 1.5}}, "priority"},
      {{{"max_attempts", 1}}, ""},
      {{{"max_attempts", 1000}}, ""},
      {{{"max_attempts", 0}}, "max_attempts"},
      {{{"max_attempts", 1001}}, "max_attempts"},
      {{{"timeout_s", 1}}, ""},
      {{{"timeout_s", 86400}}, ""},
      {{{"timeout_s", 1.5}}, ""},
      {{{"timeout_s", 0.999}}, "timeout_s"},
      {{{"timeout_s", 86400.001}}, "timeout_s"},
      {{{"delay_s", 0}}, ""},
      {{{"delay_s", 0.001}}, ""},
      {{{"delay_s", -0.001}}, "delay_s"},
      {{{"backoff", {{"initial_s", 0}}}}, ""},
      {{{"backoff", {{"initial_s", -0.001}}}}, "initial_s"},
      {{{"backoff", {{"multiplier", 1}}}}, ""},
      {{{"backoff", {{"multiplier", 0.999}}}}, "multiplier"},
      {{{"backoff", {{"initial_s", 5}, {"max_s", 5}}}}, ""},
      {{{"backoff", {{"initial_s", 5}, {"max_s", 4.999}}}}, "max_s"},
      {{{"backoff", {{"jitter", 0}}}}, ""},
      {{{"backoff", {{"jitter", 1}}}}, ""},
      {{{"backoff", {{"jitter", -0.001}}}}, "jitter"},
      {{{"backoff", {{"jitter", 1.001}}}}, "jitter"},
      {{{"owner", "o"}}, ""},
      {{{"owner", chars(256, '~')}}, ""},
      {{{"owner", " !azAZ~"}}, ""},
      {{{"owner", ""}}, "owner"},
      {{{"owner", chars(257)}}, "owner"},
      {{{"owner", "tab\there"}}, "owner"},
      {{{"idempotency_key", chars(256)}}, ""},
      {{{"idempotency_key", ""}}, "idempotency_key"},
      {{{"idempotency_key", chars(257, 'k')}}, "idempotency_key"},
      {{{"idempotency_key", "line\nbreak"}}, "idempotency_key"},
  };
  check(bounds, {{"type", "t"}}, 201, [&](json::object const& body) { return api().post("/api/v1/jobs", body); });
}

TEST_F(Ranges, FetchAcceptsEachBoundAndRejectsJustBeyondItNamingTheField) {
  std::vector<Bound> bounds = {
      {{{"count", 1}}, ""},
      {{{"count", 100}}, ""},
      {{{"count", 0}}, "count"},
      {{{"count", 101}}, "count"},
      {{{"count", 1.5}}, "count"},
      {{{"wait_s", 0}}, ""},
      {{{"wait_s", 60}}, ""},  // answers at once: a job is waiting
      {{{"wait_s", 0.5}}, ""},
      {{{"wait_s", -0.001}}, "wait_s"},
      {{{"wait_s", 60.001}}, "wait_s"},
      {{{"lease_s", 1}}, ""},
      {{{"lease_s", 86400}}, ""},
      {{{"lease_s", 0.999}}, "lease_s"},
      {{{"lease_s", 86400.001}}, "lease_s"},
      {{{"queues", json::array{}}}, "queues"},
      {{{"queues", json::array{"ok", "not ok"}}}, "queues[1]"},
  };
  check(bounds, {{"queues", json::array{"bounds"}}, {"worker_id", "w"}}, 200, [&](json::object const& body) {
    enqueue(api(), {{"type", "t"}, {"queue", "bounds"}});
    return api().post("/api/v1/fetch", body);
  });
}

TEST_F(Ranges, HeartbeatExtendAcceptsEachBoundAndRejectsJustBeyondIt) {
  auto lease = start_job(api());
  std::vector<Bound> bounds = {
      {{{"extend_s", 1}}, ""},
      {{{"extend_s", 86400}}, ""},
      {{{"extend_s", 2.5}}, ""},
      {{{"extend_s", 0.999}}, "extend_s"},
      {{{"extend_s", 86400.001}}, "extend_s"},
  };
  check(bounds, {}, 200, [&](json::object const& body) { return heartbeat(api(), lease, body); });
}

TEST_F(Ranges, ListLimitAcceptsOneToAThousand) {
  enqueue(api());
  for (auto [limit, ok] : {std::pair{"1", true}, std::pair{"1000", true}, std::pair{"0", false},
                           std::pair{"1001", false}, std::pair{"-1", false}, std::pair{"ten", false}}) {
    auto reply = api().get(std::string("/api/v1/jobs?limit=") + limit);
    if (ok) {
      EXPECT_EQ(reply.status, 200) << limit << ": " << describe(reply);
    } else {
      EXPECT_TRUE(is_error(reply, 400, "invalid_argument", {"limit"})) << limit;
    }
  }
}

TEST_F(Ranges, GetWaitAcceptsUpToSixtySeconds) {
  auto lease = start_job(api());
  ASSERT_EQ(complete(api(), lease).status, 200);
  // The job is terminal, so even the longest wait answers at once.
  EXPECT_EQ(api().get(job_path(lease.id) + "?wait=60").status, 200);
  EXPECT_EQ(api().get(job_path(lease.id) + "?wait=0").status, 200);
  for (auto wait : {"60.001", "-1", "soon"}) {
    EXPECT_TRUE(is_error(api().get(job_path(lease.id) + "?wait=" + wait), 400, "invalid_argument", {"wait"})) << wait;
  }
}

}  // namespace
}  // namespace corral::test
