// Conformance, part 1: the backends it runs against, and how work is handed out (enqueue, fetch
// order, queue order, pause). Other parts: lease_, lifecycle_, waiting_ and durability_conformance_test.cpp.
#include "queue/conformance/queue_conformance.hpp"

#include "queue/open/open_queue.hpp"
#include "support/postgres_db.hpp"

namespace corral::test {
namespace {

using core::JobState;

Backend sqlite_backend() {
  auto path = [](std::filesystem::path const& dir) { return (dir / "corral.db").string(); };
  return Backend{
      .name = "Sqlite",
      // As the server opens it on two cores or more: an op that finds the writer idle commits on
      // its caller's thread.
      .open = [path](std::filesystem::path const& dir, core::JobTypeTable types, queue::OpenOptions options) {
        options.sqlite_commit_on_caller = true;
        return queue::open_queue("sqlite:" + path(dir), std::move(types), std::move(options));
      },
      .store_name = path,
      .exclusive = true,
      .now = [](std::filesystem::path const&) {
        return std::chrono::time_point_cast<core::Micros>(std::chrono::system_clock::now());
      },
  };
}

// One database per test directory on the test cluster: the same dir opens the same store.
Backend postgres_backend() {
  auto name = [](std::filesystem::path const& dir) {
    return "corral_conf_" + std::to_string(std::hash<std::string>{}(dir.string()) % 1000000000000ULL);
  };
  return Backend{
      .name = "Postgres",
      .open = [name](std::filesystem::path const& dir, core::JobTypeTable types,
                     queue::OpenOptions const& options) {
        return queue::open_queue(pg_ensure_database(name(dir)), std::move(types), options);
      },
      .store_name = name,
      .exclusive = false,
      // What each batch reads as its `now` (postgres/batch.cpp).
      .now = [name](std::filesystem::path const& dir) {
        auto const micros = pg_scalar(pg_ensure_database(name(dir)),
                                      "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
        return core::from_unix_micros(std::stoll(micros));
      },
  };
}

INSTANTIATE_TEST_SUITE_P(Sqlite, QueueConformance, ::testing::Values(sqlite_backend()),
                         [](::testing::TestParamInfo<Backend> const& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(Postgres, QueueConformance, ::testing::Values(postgres_backend()),
                         [](::testing::TestParamInfo<Backend> const& info) { return info.param.name; });

TEST_P(QueueConformance, EnqueuedJobIsFetchedWithALeaseToken) {
  auto const created = must(run(svc().enqueue(job_request())));
  EXPECT_TRUE(created.created);
  EXPECT_FALSE(created.job.id.empty());
  EXPECT_EQ(created.job.status, JobState::queued);
  EXPECT_EQ(created.job.attempt, 0);

  auto const jobs = fetch(fetch_request({"default"}));
  ASSERT_EQ(jobs.size(), 1u);
  auto const& job = jobs.front();
  EXPECT_EQ(job.id, created.job.id);
  EXPECT_EQ(job.status, JobState::running);
  EXPECT_EQ(job.attempt, 1);
  ASSERT_TRUE(job.lease_token.has_value());
  EXPECT_FALSE(job.lease_token->empty());
  EXPECT_EQ(job.worker_id, "worker-1");
  // Without a lease in the request, the lease is the job's timeout_s (300 s by default).
  ASSERT_TRUE(job.lease_expires_at && job.started_at);
  EXPECT_EQ(*job.lease_expires_at - *job.started_at, core::seconds_to_micros(job.timeout_s));

  EXPECT_TRUE(fetch(fetch_request({"default"})).empty()) << "a leased job is handed out once";
  EXPECT_EQ(must(get(job.id)).lease_token, job.lease_token);
}

TEST_P(QueueConformance, HigherPriorityIsFetchedFirstAndFifoWithinPriority) {
  std::string const normal_1 = enqueue(job_request("default", 0)).id;
  std::string const high_1 = enqueue(job_request("default", 10)).id;
  std::string const normal_2 = enqueue(job_request("default", 0)).id;
  std::string const high_2 = enqueue(job_request("default", 10)).id;
  std::string const low = enqueue(job_request("default", -5)).id;

  auto const jobs = fetch(fetch_request({"default"}, 5));
  EXPECT_EQ(ids_of(jobs), (std::vector<std::string>{high_1, high_2, normal_1, normal_2, low}));
}

TEST_P(QueueConformance, QueuesAreTriedInTheOrderGiven) {
  std::string const a_1 = enqueue(job_request("a", 0)).id;
  std::string const b_1 = enqueue(job_request("b", 100)).id;

  // The first queue listed wins even against a higher priority in a later one.
  EXPECT_EQ(ids_of(fetch(fetch_request({"a", "b"}, 1))), std::vector<std::string>{a_1});

  std::string const a_2 = enqueue(job_request("a", 0)).id;
  // A count larger than the first queue holds goes on to the next queue.
  EXPECT_EQ(ids_of(fetch(fetch_request({"b", "a"}, 3))), (std::vector<std::string>{b_1, a_2}));
}

// What a queued job's GET reads to say why it waits: its queue alone, as queues() lists it.
TEST_P(QueueConformance, OneQueueReadsAsQueuesListsItAndNoOtherQueue) {
  enqueue(job_request("mail"));
  enqueue(job_request("mail"));
  enqueue(job_request("other"));
  ASSERT_EQ(fetch(fetch_request({"mail"})).size(), 1u);
  queue::QueueUpdate limit;
  limit.max_running.emplace(3);
  must(run(svc().update_queue("mail", limit)));
  must(run(svc().pause("idle")));   // settings, and no job

  auto const mail = must(run(svc().queue_info("mail")));
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->name, "mail");
  EXPECT_EQ(count_of(*mail, JobState::queued), 1);
  EXPECT_EQ(count_of(*mail, JobState::running), 1);
  EXPECT_EQ(mail->limits.max_running, 3);
  EXPECT_FALSE(mail->paused);
  for (auto const& listed : must(run(svc().queues()))) {
    auto const one = must(run(svc().queue_info(listed.name)));
    ASSERT_TRUE(one) << listed.name;
    EXPECT_EQ(one->counts, listed.counts) << listed.name;
    EXPECT_EQ(one->paused, listed.paused) << listed.name;
    EXPECT_EQ(one->limits.max_running, listed.limits.max_running) << listed.name;
  }
  auto const idle = must(run(svc().queue_info("idle")));
  ASSERT_TRUE(idle) << "a queue with settings and no job";
  EXPECT_TRUE(idle->paused);
  EXPECT_EQ(count_of(*idle, JobState::queued), 0);
  EXPECT_FALSE(must(run(svc().queue_info("nowhere")))) << "neither jobs nor settings";
}

TEST_P(QueueConformance, PausedQueueHandsOutNothingUntilResumed) {
  std::string const id = enqueue(job_request("mail")).id;

  auto const paused = must(run(svc().pause("mail")));
  EXPECT_EQ(paused.name, "mail");
  EXPECT_TRUE(paused.paused);
  EXPECT_TRUE(fetch(fetch_request({"mail"})).empty());

  bool listed = false;
  for (auto const& info : must(run(svc().queues()))) {
    if (info.name != "mail") continue;
    listed = true;
    EXPECT_TRUE(info.paused);
    EXPECT_EQ(count_of(info, JobState::queued), 1);
  }
  EXPECT_TRUE(listed) << "queues() lists the paused queue";

  // A worker long-polling the paused queue gets the job as soon as it is resumed.
  auto waiting = spawn(svc().fetch(fetch_request({"mail"}, 1, kLongWait)));
  ASSERT_TRUE(parked(1));
  auto const resumed = must(run(svc().resume("mail")));
  EXPECT_FALSE(resumed.paused);
  EXPECT_EQ(ids_of(must(await(std::move(waiting)))), std::vector<std::string>{id});
}

}  // namespace
}  // namespace corral::test
