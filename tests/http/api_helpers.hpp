// The vocabulary of the HTTP API tests: a fixture that runs the real `corral server` (one per
// test, on 127.0.0.1:0, in a fresh temporary directory, and checks its clean exit), and one
// helper per step a client takes (enqueue, fetch a lease, report on it, ...). A helper that gets
// anything but its success status throws std::runtime_error holding the reply, which GoogleTest
// reports as the test's failure: a test reads as the steps it takes, not as status checks.
//
// Header-only on purpose: tests/CMakeLists.txt builds every tests/http/*_test.cpp into
// http_tests and nothing else from this folder.
#pragma once

#include "client/client.hpp"
#include "support/corral_process.hpp"
#include "support/has_substr.hpp"
#include "support/metrics.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace corral::test {

namespace json = boost::json;
using client::Client;
using client::Response;

inline std::string job_path(std::string_view id) { return "/api/v1/jobs/" + std::string(id); }

// ---- Replies ----------------------------------------------------------------------------------

inline std::string describe(Response const& r) {
  return "HTTP " + std::to_string(r.status) + " " + r.body;
}

// The reply's body as a JSON object, if the reply has `status`; throws with the reply otherwise.
inline json::object expect_json(Response const& r, int status) {
  json::value v = r.json();
  if (r.status != status || !v.is_object()) {
    throw std::runtime_error("expected HTTP " + std::to_string(status) + " with a JSON object, got " + describe(r));
  }
  return v.get_object();
}

// The contract's error reply: `status`, a body of exactly {"error": {"code", "message"}} with
// that code and a non-empty message that contains every one of `named` (the field, "jobs[3]"...).
inline ::testing::AssertionResult is_error(Response const& r, int status, std::string_view code,
                                           std::vector<std::string_view> const& named = {}) {
  auto fail = [&](std::string const& why) { return ::testing::AssertionFailure() << why << ": " << describe(r); };
  if (r.status != status) return fail("expected HTTP " + std::to_string(status));
  json::value v = r.json();
  if (!v.is_object() || v.get_object().size() != 1 || !v.get_object().contains("error")) {
    return fail("expected a body of exactly {\"error\": {...}}");
  }
  json::value const& e = v.get_object().at("error");
  if (!e.is_object() || e.get_object().size() != 2) return fail("expected error to hold exactly code and message");
  json::object const& error = e.get_object();
  if (!error.contains("code") || !error.at("code").is_string()) return fail("expected a string error.code");
  if (!error.contains("message") || !error.at("message").is_string()) return fail("expected a string error.message");
  if (error.at("code").get_string() != code) return fail("expected error.code " + std::string(code));
  std::string_view message = error.at("message").get_string();
  if (message.empty()) return fail("expected a non-empty error.message");
  for (std::string_view name : named) {
    if (message.find(name) == std::string_view::npos) return fail("expected error.message to name " + std::string(name));
  }
  return ::testing::AssertionSuccess();
}

// A report on a job that has ended (other than the resend of the report that won): the contract
// fixes the status, 409, and leaves the code to be stale_lease or wrong_state.
inline ::testing::AssertionResult is_refused_report(Response const& r) {
  if (is_error(r, 409, "stale_lease") || is_error(r, 409, "wrong_state")) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected 409 stale_lease or wrong_state: " << describe(r);
}

// ---- Reading job fields -------------------------------------------------------------------------

// The string at `key`; otherwise the JSON text found there (or "<missing>"), so that a failing
// EXPECT_EQ shows what the server sent.
inline std::string str(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (v == nullptr) return "<missing>";
  return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

// The number at `key` (integer or not); throws if there is none.
inline double num(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) {
    throw std::runtime_error("expected a number at " + std::string(key) + " in " + json::serialize(o));
  }
  return v->to_number<double>();
}

inline json::value field(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v == nullptr ? json::value("<missing>") : *v;
}

// Microseconds since the epoch of a timestamp in the contract's echo format,
// YYYY-MM-DDTHH:MM:SS.ffffffZ; nullopt for anything else. Independent of the server's parser.
inline std::optional<std::int64_t> utc_micros(std::string_view t) {
  if (t.size() != 27) return std::nullopt;
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool ok = kShape[i] == 'd' ? (t[i] >= '0' && t[i] <= '9') : t[i] == kShape[i];
    if (!ok) return std::nullopt;
  }
  auto n = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  using namespace std::chrono;
  year_month_day date{year(n(0, 4)), month(static_cast<unsigned>(n(5, 2))), day(static_cast<unsigned>(n(8, 2)))};
  if (!date.ok()) return std::nullopt;
  auto seconds = sys_days(date).time_since_epoch() + hours(n(11, 2)) + minutes(n(14, 2)) + std::chrono::seconds(n(17, 2));
  return duration_cast<microseconds>(seconds).count() + n(20, 6);
}

// The timestamp at `key` in microseconds; throws unless it is in the echo format.
inline std::int64_t time_at(json::object const& o, std::string_view key) {
  auto t = utc_micros(str(o, key));
  if (!t) throw std::runtime_error("expected an RFC 3339 UTC time with microseconds at " + std::string(key) +
                                   ", got " + str(o, key));
  return *t;
}

// `later` − `earlier`, both timestamps of `o`, in seconds.
inline double seconds_between(json::object const& o, std::string_view earlier, std::string_view later) {
  return static_cast<double>(time_at(o, later) - time_at(o, earlier)) / 1e6;
}

inline json::object merged(json::object base, json::object const& extra) {
  for (auto const& [k, v] : extra) base[k] = v;
  return base;
}

// ---- Steps ----------------------------------------------------------------------------------------

// POST /jobs that must create the job (201); returns it.
inline json::object enqueue(Client& api, json::object body = {{"type", "t"}}) {
  return expect_json(api.post("/api/v1/jobs", body), 201);
}

inline std::string enqueue_id(Client& api, json::object body = {{"type", "t"}}) {
  return str(enqueue(api, std::move(body)), "id");
}

// POST /jobs/batch that must succeed (201); returns the jobs.
inline json::array enqueue_batch(Client& api, json::array jobs) {
  auto reply = expect_json(api.post("/api/v1/jobs/batch", json::object{{"jobs", std::move(jobs)}}), 201);
  return reply.at("jobs").as_array();
}

// `n` jobs of type `type` in `queue` (as one batch); returns their ids in enqueue order.
inline std::vector<std::string> enqueue_many(Client& api, int n, std::string const& type = "t",
                                             std::string const& queue = "default") {
  json::array specs;
  for (int i = 0; i < n; ++i) specs.push_back(json::object{{"type", type}, {"queue", queue}});
  std::vector<std::string> ids;
  for (auto const& job : enqueue_batch(api, std::move(specs))) ids.push_back(str(job.as_object(), "id"));
  return ids;
}

// The job as GET /jobs/{id} returns it, less not_ready, which only that reply carries: so it
// compares equal to the job of any other reply. Tests of not_ready read the reply itself.
inline json::object get_job(Client& api, std::string_view id) {
  auto job = expect_json(api.get(job_path(id)), 200);
  if (!job.contains("not_ready")) throw std::runtime_error("GET " + job_path(id) + " has no not_ready");
  job.erase("not_ready");
  return job;
}

inline std::string status_of(Client& api, std::string_view id) { return str(get_job(api, id), "status"); }

// True once the job has `status`; false if it has not by the deadline.
inline bool wait_for_status(Client& api, std::string_view id, std::string_view status,
                            std::chrono::steady_clock::duration timeout = kDeadline) {
  return wait_until(timeout, [&] { return status_of(api, id) == status; });
}

// GET /jobs with `query` ("status=queued&limit=5"); returns the whole reply.
inline json::object list_jobs(Client& api, std::string const& query = "") {
  return expect_json(api.get("/api/v1/jobs" + (query.empty() ? "" : "?" + query)), 200);
}

inline std::vector<std::string> ids_of(json::array const& jobs) {
  std::vector<std::string> ids;
  for (auto const& job : jobs) ids.push_back(str(job.as_object(), "id"));
  return ids;
}

// POST /fetch that must succeed (200); returns the leased jobs. Sends worker_id "w1" unless the
// body names a worker (Fetch.WorkerIdIsOptional checks a fetch without one).
inline json::array fetch(Client& api, json::object body = {}) {
  if (!body.contains("worker_id")) body["worker_id"] = "w1";
  return expect_json(api.post("/api/v1/fetch", body), 200).at("jobs").as_array();
}

// One leased job: what a worker keeps to report on it.
struct Lease {
  std::string id;
  std::string token;
  json::object job;   // as the fetch returned it
};

// A fetch that must hand out exactly one job.
inline Lease fetch_one(Client& api, json::object body = {}) {
  auto jobs = fetch(api, std::move(body));
  if (jobs.size() != 1) throw std::runtime_error("expected one fetched job, got " + json::serialize(jobs));
  json::object job = jobs[0].as_object();
  return Lease{str(job, "id"), str(job, "lease_token"), job};
}

// Enqueues `spec` and leases that very job (worker "w1"), with `fetch_extra` added to the fetch
// ({"lease_s": 1}...). Without a queue in `spec` the job gets a queue of its own, so the fetch
// finds it whatever else the test queued; throws if the fetch hands out another job.
inline Lease start_job(Client& api, json::object spec = {{"type", "t"}}, json::object const& fetch_extra = {}) {
  static int queues = 0;
  if (!spec.contains("queue")) spec["queue"] = "solo-" + std::to_string(++queues);
  std::string queue(spec.at("queue").as_string());
  auto id = enqueue_id(api, std::move(spec));
  auto lease = fetch_one(api, merged({{"queues", json::array{queue}}, {"worker_id", "w1"}}, fetch_extra));
  if (lease.id != id) throw std::runtime_error("fetched " + lease.id + " instead of " + id);
  return lease;
}

// POST /jobs/{id}/ACTION with `body`; the reply as it is.
inline Response act(Client& api, std::string_view id, std::string_view action, json::object const& body = {}) {
  return api.post(job_path(id) + "/" + std::string(action), body);
}

inline Response heartbeat(Client& api, Lease const& lease, json::object const& extra = {}) {
  return act(api, lease.id, "heartbeat", merged({{"lease_token", lease.token}}, extra));
}

inline Response complete(Client& api, Lease const& lease, json::value result = nullptr) {
  json::object body{{"lease_token", lease.token}};
  if (!result.is_null()) body["result"] = std::move(result);
  return act(api, lease.id, "complete", body);
}

// fail with error {code, message, retryable}; `extra` adds retry_in_s and the like.
inline Response fail(Client& api, Lease const& lease, bool retryable = true, std::string const& code = "boom",
                     json::object const& extra = {}) {
  json::object error{{"code", code}, {"message", code + " happened"}, {"retryable", retryable}};
  return act(api, lease.id, "fail", merged({{"lease_token", lease.token}, {"error", error}}, extra));
}

// Cancel, retry, pause and resume take no body.
inline Response cancel(Client& api, std::string_view id) { return api.post(job_path(id) + "/cancel"); }
inline Response retry(Client& api, std::string_view id) { return api.post(job_path(id) + "/retry"); }

// A request made from another thread with a Client of its own, as a second client would make it
// (a long-poll fetch, a GET ?wait) while the test acts. Joins on destruction.
class Background {
 public:
  using Clock = std::chrono::steady_clock;

  Background(std::string url, std::function<Response(Client&)> request)
      : thread_([this, url = std::move(url), request = std::move(request)] {
          auto start = Clock::now();
          try {
            Client own(url);
            reply_ = request(own);
          } catch (std::exception const& e) {
            reply_.body = e.what();  // status 0: a test expecting a reply fails showing why
          }
          took_ = Clock::now() - start;
        }) {}
  ~Background() { join(); }
  Background(Background const&) = delete;
  Background& operator=(Background const&) = delete;

  Response const& reply() {
    join();
    return reply_;
  }
  // How long the request took, from the thread's start to the reply.
  Clock::duration took() {
    join();
    return took_;
  }

 private:
  void join() {
    if (thread_.joinable()) thread_.join();
  }

  Response reply_;
  Clock::duration took_{};
  std::thread thread_;  // last: starts once the members it writes exist
};

// ---- The fixture --------------------------------------------------------------------------------

// One real server per test. TearDown stops it with SIGTERM and expects exit code 0: every test
// also checks a clean shutdown.
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { start_server(); }

  void TearDown() override {
    api_.reset();
    if (!server_.running()) return;  // a test that killed it checks what it wanted itself
    EXPECT_TRUE(server_.stop()) << server_.log();
    EXPECT_EQ(server_.exit_code(), 0) << server_.log();
  }

  // Extra `corral server` flags for a fixture that needs them.
  virtual std::vector<std::string> server_args() const { return {}; }

  void start_server(int port = 0) {
    server_.start(server_args(), port);
    api_.emplace(server_.url());
  }

  // SIGTERM, expect a clean exit, start again on the same data directory.
  void restart_server() {
    api_.reset();
    ASSERT_TRUE(server_.stop()) << server_.log();
    ASSERT_EQ(server_.exit_code(), 0) << server_.log();
    start_server();
  }

  Client& api() { return *api_; }
  Client new_client() const { return Client(server_.url()); }

  CorralProcess server_;
  std::optional<Client> api_;
};

}  // namespace corral::test
