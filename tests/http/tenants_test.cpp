// Tenants: a key scoped to an owner enqueues as that owner and sees and changes only that owner's
// jobs (lists, bulk actions, single jobs, streams), never gets another owner's job back through
// an idempotency key, and is refused the views of every owner; a key scoped to queues works on
// those only.
#include "http/auth_keys.hpp"
#include "http/stream_reader.hpp"

namespace corral::test {
namespace {

class Tenants : public KeyedApiTest {
 protected:
  void SetUp() override {
    KeyedApiTest::SetUp();
    acme_.emplace(as(key_of({{"role", "producer"}, {"owner", "acme"}})));
    globex_.emplace(as(key_of({{"role", "producer"}, {"owner", "globex"}})));
  }
  Client& acme() { return *acme_; }
  Client& globex() { return *globex_; }

  std::optional<Client> acme_, globex_;
};

TEST_F(Tenants, AnOwnersKeyEnqueuesAsItsOwnerWhateverTheBodySays) {
  auto single = enqueue(acme(), {{"type", "t"}, {"owner", "globex"}});
  EXPECT_EQ(str(single, "owner"), "acme");
  auto batch = enqueue_batch(acme(), json::array{json::object{{"type", "t"}, {"owner", "globex"}}, json::object{{"type", "t"}}});
  for (auto const& job : batch) EXPECT_EQ(str(job.as_object(), "owner"), "acme");
}

TEST_F(Tenants, AnotherOwnersJobIsNotFoundWhateverIsAskedOfIt) {
  auto const theirs = enqueue_id(globex());
  auto const missing = "job_00000000000000000000000000";
  for (auto const& [what, r] : std::vector<std::pair<std::string, Response>>{
           {"get", acme().get(job_path(theirs))},
           {"get ?wait", acme().get(job_path(theirs) + "?wait=5")},
           {"cancel", acme().post(job_path(theirs) + "/cancel")},
           {"retry", acme().post(job_path(theirs) + "/retry")},
           {"events", acme().get(job_path(theirs) + "/events")}}) {
    EXPECT_TRUE(is_error(r, 404, "not_found", {theirs})) << what;
  }
  // Worded as for a job that does not exist at all.
  auto none = expect_json(acme().get(job_path(missing)), 404);
  auto hidden = expect_json(acme().get(job_path(theirs)), 404);
  std::string none_message(none.at("error").at("message").as_string());
  std::string hidden_message(hidden.at("error").at("message").as_string());
  none_message.replace(none_message.find(missing), std::strlen(missing), "ID");
  hidden_message.replace(hidden_message.find(theirs), theirs.size(), "ID");
  EXPECT_EQ(hidden_message, none_message);
  EXPECT_EQ(status_of(globex(), theirs), "queued") << "the cancel changed nothing";
}

TEST_F(Tenants, ListsHoldOnlyTheKeysOwnersJobs) {
  auto const mine = enqueue_id(acme());
  auto const theirs = enqueue_id(globex());
  EXPECT_EQ(ids_of(list_jobs(acme()).at("jobs").as_array()), std::vector<std::string>{mine});
  EXPECT_EQ(ids_of(list_jobs(globex()).at("jobs").as_array()), std::vector<std::string>{theirs});
  EXPECT_EQ(list_jobs(acme(), "owner=acme&count=1").at("total"), json::value(1));
  EXPECT_TRUE(is_error(acme().get("/api/v1/jobs?owner=globex"), 403, "forbidden", {"acme"}));
  auto everyone = admin();
  EXPECT_EQ(ids_of(list_jobs(everyone).at("jobs").as_array()), (std::vector<std::string>{theirs, mine}));
}

TEST_F(Tenants, BulkActionsTouchOnlyTheKeysOwnersJobs) {
  auto acme_admin = as(key_of({{"role", "admin"}, {"owner", "acme"}}));
  auto const mine = enqueue_id(acme());
  auto const theirs = enqueue_id(globex());
  auto by_filter = expect_json(acme_admin.post("/api/v1/jobs/bulk", json::object{{"action", "cancel"}, {"filter", json::object{}}}), 200);
  EXPECT_EQ(by_filter.at("matched"), json::value(1));
  EXPECT_EQ(by_filter.at("changed"), json::value(1));
  auto by_ids = expect_json(acme_admin.post("/api/v1/jobs/bulk", json::object{{"action", "cancel"}, {"ids", json::array{theirs}}}), 200);
  EXPECT_EQ(by_ids.at("changed"), json::value(0)) << "another owner's id is skipped, as an unknown one is";
  EXPECT_TRUE(is_error(acme_admin.post("/api/v1/jobs/bulk",
                                       json::object{{"action", "cancel"}, {"filter", json::object{{"owner", "globex"}}}}),
                       403, "forbidden"));
  EXPECT_EQ(status_of(acme(), mine), "cancelled");
  EXPECT_EQ(status_of(globex(), theirs), "queued");
}

TEST_F(Tenants, EachOwnerHasItsOwnIdempotencyKeys) {
  auto first = enqueue(acme(), {{"type", "t"}, {"idempotency_key", "order-1"}});
  auto again = expect_json(acme().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", "order-1"}}), 200);
  EXPECT_EQ(str(again, "id"), str(first, "id"));
  // The same key from another owner is that owner's own job: neither finds nor blocks acme's.
  auto other = expect_json(globex().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", "order-1"}}), 201);
  EXPECT_NE(str(other, "id"), str(first, "id"));
  EXPECT_EQ(str(other, "owner"), "globex");
  auto other_again =
      expect_json(globex().post("/api/v1/jobs", json::object{{"type", "t"}, {"idempotency_key", "order-1"}}), 200);
  EXPECT_EQ(str(other_again, "id"), str(other, "id"));
  EXPECT_EQ(list_jobs(globex()).at("jobs").as_array().size(), 1u);
  EXPECT_EQ(list_jobs(acme()).at("jobs").as_array().size(), 1u);
}

TEST_F(Tenants, ABatchWithAKeyAnotherOwnerUsesWritesEveryItemAsItsOwn) {
  auto theirs = enqueue(globex(), {{"type", "t"}, {"idempotency_key", "shared"}});
  auto batch = expect_json(
      acme().post("/api/v1/jobs/batch",
                  json::object{{"jobs", json::array{json::object{{"type", "t"}, {"idempotency_key", "first"}},
                                                    json::object{{"type", "t"}, {"idempotency_key", "shared"}}}}}),
      201);
  auto const& jobs = batch.at("jobs").as_array();
  ASSERT_EQ(jobs.size(), 2u);
  for (auto const& j : jobs) {
    EXPECT_EQ(j.at("owner").as_string(), "acme");
    EXPECT_NE(j.at("id").as_string(), str(theirs, "id"));
  }
  EXPECT_EQ(list_jobs(acme()).at("jobs").as_array().size(), 2u);
  EXPECT_EQ(list_jobs(globex()).at("jobs").as_array().size(), 1u);
}

TEST_F(Tenants, ViewsOfEveryOwnerAreRefusedToAnOwnersKeyAndServedToOthers) {
  auto acme_viewer = as(key_of({{"role", "viewer"}, {"owner", "acme"}}));
  auto viewer = as(key_of({{"role", "viewer"}}));
  for (auto const* path : {"/api/v1/health", "/api/v1/schedules", "/metrics", "/api/v1/events?stats=1",
                           "/api/v1/events?owner=globex"}) {
    EXPECT_TRUE(is_error(acme_viewer.get(path), 403, "forbidden", {"acme"})) << path;
  }
  for (auto const* path : {"/api/v1/queues", "/api/v1/stats", "/api/v1/health", "/api/v1/schedules", "/metrics"}) {
    EXPECT_EQ(viewer.get(path).status, 200) << path;
  }
}

// Jobs of acme in acme-q and shared, of globex in globex-secret and shared; one of globex's failed
// with an error code of its own, one of acme's completed.
void enqueue_two_tenants(Client& acme, Client& globex, Client& worker) {
  enqueue(acme, {{"type", "resize"}, {"queue", "acme-q"}});
  enqueue(acme, {{"type", "resize"}, {"queue", "acme-q"}});
  enqueue(acme, {{"type", "resize"}, {"queue", "shared"}});
  enqueue(globex, {{"type", "globex-type"}, {"queue", "globex-secret"}});
  enqueue(globex, {{"type", "globex-type"}, {"queue", "shared"}});
  auto const theirs = fetch_one(worker, {{"queues", json::array{"globex-secret"}}, {"worker_id", "globex-worker"}});
  expect_json(fail(worker, theirs, true, "globex_error"), 200);
  auto const mine = fetch_one(worker, {{"queues", json::array{"acme-q"}}, {"worker_id", "globex-worker"}});
  expect_json(complete(worker, mine), 200);
}

std::set<std::string> queue_names(json::object const& reply) {
  std::set<std::string> out;
  for (auto const& q : reply.at("queues").as_array()) out.insert(str(q.as_object(), "name"));
  return out;
}

json::object const& listed(json::object const& reply, std::string_view name) {
  for (auto const& q : reply.at("queues").as_array()) {
    if (q.as_object().at("name").as_string() == name) return q.as_object();
  }
  throw std::runtime_error("no queue " + std::string(name) + " in " + json::serialize(reply));
}

std::int64_t queued_in(json::object const& queue) { return queue.at("counts").at("queued").to_number<std::int64_t>(); }

TEST_F(Tenants, QueuesShowAnOwnersKeyItsOwnCountsAndNeverAnotherOwnersQueue) {
  auto acme_viewer = as(key_of({{"role", "viewer"}, {"owner", "acme"}}));
  auto worker = as(key_of({{"role", "worker"}}));
  enqueue_two_tenants(acme(), globex(), worker);

  for (auto* c : {&acme_viewer, &acme()}) {
    auto r = c->get("/api/v1/queues");
    auto const mine = expect_json(r, 200);
    EXPECT_EQ(queue_names(mine), (std::set<std::string>{"acme-q", "shared"}));
    EXPECT_EQ(queued_in(listed(mine, "acme-q")), 1);
    EXPECT_EQ(listed(mine, "acme-q").at("counts").at("completed"), json::value(1));
    EXPECT_EQ(queued_in(listed(mine, "shared")), 1) << "globex's job in the shared queue is not counted";
    EXPECT_EQ(r.body.find("globex"), std::string::npos) << r.body;
  }
  auto const theirs = expect_json(globex().get("/api/v1/queues"), 200);
  EXPECT_EQ(queue_names(theirs), (std::set<std::string>{"globex-secret", "shared"}));
  EXPECT_EQ(listed(theirs, "globex-secret").at("counts").at("retrying"), json::value(1));

  auto viewer = as(key_of({{"role", "viewer"}}));
  auto const all = expect_json(viewer.get("/api/v1/queues"), 200);
  EXPECT_EQ(queue_names(all), (std::set<std::string>{"acme-q", "globex-secret", "shared"}));
  EXPECT_EQ(queued_in(listed(all, "shared")), 2);
}

TEST_F(Tenants, StatsShowAnOwnersKeyItsOwnJobsOnlyAndNoWorkers) {
  auto acme_viewer = as(key_of({{"role", "viewer"}, {"owner", "acme"}}));
  auto worker = as(key_of({{"role", "worker"}}));
  enqueue_two_tenants(acme(), globex(), worker);

  for (auto const* path : {"/api/v1/stats", "/api/v1/stats?window=7d", "/api/v1/stats?queue=globex-secret"}) {
    auto r = acme_viewer.get(path);
    auto const s = expect_json(r, 200);
    EXPECT_EQ(r.body.find("globex"), std::string::npos) << path << ": " << r.body;
    EXPECT_TRUE(s.at("workers").as_array().empty()) << path;
    EXPECT_TRUE(s.at("anonymous_fetches").is_null()) << path;
  }
  auto const s = expect_json(acme_viewer.get("/api/v1/stats"), 200);
  auto const& by_queue = s.at("counts").at("queues").as_object();
  EXPECT_EQ(by_queue.size(), 2u);
  EXPECT_EQ(by_queue.at("acme-q").at("queued"), json::value(1));
  EXPECT_EQ(by_queue.at("shared").at("queued"), json::value(1));
  EXPECT_EQ(s.at("completed"), json::value(1));
  EXPECT_EQ(s.at("failed"), json::value(0));
  EXPECT_TRUE(s.at("errors").as_array().empty()) << "the only error was globex's";
  EXPECT_TRUE(s.at("run_time").as_object().contains("resize"));

  auto viewer = as(key_of({{"role", "viewer"}}));
  auto r = viewer.get("/api/v1/stats");
  auto const all = expect_json(r, 200);
  EXPECT_EQ(all.at("counts").at("queues").as_object().size(), 3u);
  EXPECT_EQ(all.at("counts").at("queues").at("shared").at("queued"), json::value(2));
  ASSERT_EQ(all.at("errors").as_array().size(), 1u);
  EXPECT_EQ(all.at("errors").at(0).at("code"), json::value("globex_error"));
  EXPECT_EQ(all.at("workers").as_array().size(), 1u) << "an unscoped key sees the workers";
}

TEST_F(Tenants, TheGlobalEventStreamShowsAnOwnersKeyItsOwnJobsOnly) {
  StreamReader stream(server_.url(), "/api/v1/events",
                      {{"Authorization", "Bearer " + key_of({{"role", "viewer"}, {"owner", "acme"}})}});
  ASSERT_TRUE(stream.wait_connected());
  auto const theirs = enqueue_id(globex());
  auto const mine = enqueue_id(acme());
  // Events come in commit order: once acme's job's is there, globex's would have come before it.
  auto carries = [&](std::string const& id) {
    auto const all = stream.messages();
    return std::any_of(all.begin(), all.end(), [&](auto const& m) { return m.data.find(id) != std::string::npos; });
  };
  EXPECT_TRUE(wait_until(kDeadline, [&] { return carries(mine); }));
  EXPECT_FALSE(carries(theirs));
}

TEST_F(Tenants, AnOwnersKeyFollowsItsOwnJobsEvents) {
  auto const mine = enqueue_id(acme());
  StreamReader stream(server_.url(), job_path(mine) + "/events", {{"Authorization", "Bearer " + key_of({{"role", "viewer"}, {"owner", "acme"}})}});
  EXPECT_TRUE(stream.wait_connected()) << "the stream of its own job is served";
}

TEST_F(Tenants, AWorkerKeyScopedToQueuesFetchesAndReportsThereOnly) {
  auto worker = as(key_of({{"role", "worker"}, {"queues", json::array{"a"}}}));
  auto everyone = admin();
  enqueue(everyone, {{"type", "t"}, {"queue", "a"}});
  enqueue(everyone, {{"type", "t"}, {"queue", "b"}});
  EXPECT_TRUE(is_error(worker.post("/api/v1/fetch", json::object{{"queues", json::array{"a", "b"}}}), 403, "forbidden", {"b"}));
  auto mine = fetch_one(worker, {{"queues", json::array{"a"}}});
  auto other = fetch_one(everyone, {{"queues", json::array{"b"}}});
  EXPECT_TRUE(is_error(worker.post(job_path(other.id) + "/heartbeat", json::object{{"lease_token", other.token}}), 403, "forbidden"));
  EXPECT_TRUE(is_error(worker.post("/api/v1/complete",
                                   json::object{{"jobs", json::array{json::object{{"id", other.id}, {"lease_token", other.token}}}}}),
                       403, "forbidden"));
  EXPECT_EQ(status_of(everyone, other.id), "running");
  expect_json(complete(worker, mine), 200);
  EXPECT_EQ(status_of(everyone, mine.id), "completed");
}

}  // namespace
}  // namespace corral::test
