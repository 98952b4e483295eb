// GET /metrics against the real binary, on both backends: after a known sequence of operations
// every counter and histogram count is exactly what those operations make, and the whole page
// passes promtool's own check.
#include "http/api_helpers.hpp"

#include "support/promtool.hpp"

#include <map>

namespace corral::test {
namespace {

// Every sample of a scrape: the series (name and labels, as written) to its value, as written.
std::map<std::string, std::string> samples_of(std::string const& text) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto const end = text.find('\n', at);
    std::string const line = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (line.empty() || line.front() == '#') continue;
    auto const space = line.rfind(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

class Metrics : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--max-long-polls", "7"}; }

  std::string scrape() {
    auto reply = api().get("/metrics");
    if (reply.status != 200) throw std::runtime_error("GET /metrics: " + describe(reply));
    return reply.body;
  }
  std::map<std::string, std::string> samples() { return samples_of(scrape()); }

  // The value of `series`, or "absent".
  std::string value(std::string const& series) {
    auto const all = samples();
    auto it = all.find(series);
    return it == all.end() ? "absent" : it->second;
  }

  // Enqueues 5 jobs of queue mq, type send (one with an idempotency key, sent twice); leases them
  // all; reports once with a token that is not the lease's; completes 3 and fails 2 for good. 13
  // writes in all.
  void run_known_sequence() {
    json::object const spec{{"queue", "mq"}, {"type", "send"}};
    auto keyed = merged(spec, {{"idempotency_key", "k1"}});
    enqueue(api(), keyed);
    for (int i = 0; i < 4; ++i) enqueue(api(), spec);
    expect_json(api().post("/api/v1/jobs", keyed), 200);   // the idempotent repeat
    auto jobs = fetch(api(), {{"queues", json::array{"mq"}}, {"count", 5}});
    ASSERT_EQ(jobs.size(), 5u);
    std::vector<Lease> leases;
    for (auto const& j : jobs) leases.push_back({str(j.as_object(), "id"), str(j.as_object(), "lease_token"), {}});
    ASSERT_TRUE(is_error(complete(api(), Lease{leases[0].id, "0123456789abcdef0123456789abcdef", {}}), 409,
                         "stale_lease"));
    for (int i = 0; i < 3; ++i) expect_json(complete(api(), leases[static_cast<std::size_t>(i)]), 200);
    for (int i = 3; i < 5; ++i) expect_json(fail(api(), leases[static_cast<std::size_t>(i)], false), 200);
  }
};

std::string events(std::string const& kind) {
  return "corral_job_events_total{queue=\"mq\",type=\"send\",kind=\"" + kind + "\"}";
}

std::string request_count(std::string const& method, std::string const& route, std::string const& status_class) {
  return "corral_http_request_duration_seconds_count{method=\"" + method + "\",route=\"" + route +
         "\",status_class=\"" + status_class + "\"}";
}

TEST_F(Metrics, CountersAndHistogramsMatchAKnownSequenceExactly) {
  run_known_sequence();
  // On PostgreSQL a node hears even its own events through its tail of the events table.
  ASSERT_TRUE(wait_until(kDeadline, [&] { return value(events("failed")) == "2"; })) << scrape();
  auto const s = samples();
  auto at = [&s](std::string const& series) {
    auto it = s.find(series);
    return it == s.end() ? std::string("absent") : it->second;
  };

  // One event of each change, none of the refused report or the idempotent repeat; every other
  // kind is there at 0.
  EXPECT_EQ(at(events("enqueued")), "5");
  EXPECT_EQ(at(events("started")), "5");
  EXPECT_EQ(at(events("completed")), "3");
  EXPECT_EQ(at(events("failed")), "2");
  for (auto kind : {"scheduled", "retrying", "lease_expired", "cancelled", "heartbeat"}) {
    EXPECT_EQ(at(events(kind)), "0") << kind;
  }
  EXPECT_EQ(at("corral_job_queue_wait_seconds_count{queue=\"mq\",type=\"send\"}"), "5");
  EXPECT_EQ(at("corral_job_queue_wait_seconds_bucket{queue=\"mq\",type=\"send\",le=\"+Inf\"}"), "5");
  EXPECT_EQ(at("corral_job_run_seconds_count{queue=\"mq\",type=\"send\"}"), "5");

  EXPECT_EQ(at("corral_idempotent_hits_total"), "1");
  EXPECT_EQ(at("corral_http_refusals_total{code=\"stale_lease\"}"), "1");
  for (auto const& [series, v] : s) {
    if (series.starts_with("corral_http_refusals_total")) {
      EXPECT_EQ(series, "corral_http_refusals_total{code=\"stale_lease\"}") << "no other refusal";
    }
  }

  // Requests by route pattern and status class: 201s and the 200 of the repeat alike are 2xx.
  EXPECT_EQ(at(request_count("POST", "/api/v1/jobs", "2xx")), "6");
  EXPECT_EQ(at(request_count("POST", "/api/v1/fetch", "2xx")), "1");
  EXPECT_EQ(at(request_count("POST", "/api/v1/jobs/{id}/complete", "2xx")), "3");
  EXPECT_EQ(at(request_count("POST", "/api/v1/jobs/{id}/complete", "4xx")), "1");
  EXPECT_EQ(at(request_count("POST", "/api/v1/jobs/{id}/fail", "2xx")), "2");

  // Every write is carried by exactly one commit.
  EXPECT_EQ(at("corral_commit_batch_size_sum"), "13");
  EXPECT_NE(at("corral_commit_duration_seconds_count"), "absent");
  EXPECT_EQ(at("corral_commit_duration_seconds_count"), at("corral_commit_batch_size_count"));

  // Gauges: nothing left running; the configured limit.
  EXPECT_EQ(at("corral_jobs{queue=\"mq\",state=\"completed\"}"), "3");
  EXPECT_EQ(at("corral_jobs{queue=\"mq\",state=\"failed\"}"), "2");
  EXPECT_EQ(at("corral_running_leases"), "0");
  EXPECT_EQ(at("corral_long_polls_max"), "7");
  EXPECT_EQ(at("corral_http_requests_in_flight"), "1") << "the scrape itself";
}

TEST_F(Metrics, RequestsAreLabelledByRoutePatternNeverByPath) {
  auto const id = enqueue_id(api());
  get_job(api(), id);
  EXPECT_EQ(api().get("/api/v1/no-such-route").status, 404);
  auto const text = scrape();
  EXPECT_EQ(text.find(id), std::string::npos) << text;
  EXPECT_EQ(text.find("no-such-route"), std::string::npos) << text;
  auto const s = samples_of(text);
  EXPECT_EQ(s.at(request_count("GET", "/api/v1/jobs/{id}", "2xx")), "1");
  EXPECT_EQ(s.at(request_count("GET", "unmatched", "4xx")), "1");
  EXPECT_EQ(s.at("corral_http_refusals_total{code=\"not_found\"}"), "1");
}

TEST_F(Metrics, TheBackendsNumbersAreExported) {
  auto const s = samples();
  if (server_.db_url().starts_with("postgres")) {
    EXPECT_TRUE(s.contains("corral_db_pool_size"));
    EXPECT_TRUE(s.contains("corral_db_pool_in_use"));
    EXPECT_TRUE(s.contains("corral_db_pool_waits_total"));
  } else {
    for (auto name : {"corral_sqlite_wal_bytes", "corral_sqlite_job_cache_bytes", "corral_sqlite_parked_fetches",
                      "corral_sqlite_disk_reserve_bytes"}) {
      EXPECT_TRUE(s.contains(name)) << name;
    }
  }
  EXPECT_TRUE(s.contains("corral_long_polls_parked"));
}

TEST_F(Metrics, ThePagePassesPromtoolCheckMetrics) {
  CORRAL_SKIP_WITHOUT_PROMTOOL();
  run_known_sequence();
  api().get("/api/v1/nothing-here");
  auto const run = run_promtool(*find_promtool(), {"check", "metrics"}, scrape());
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace corral::test
