// Conformance, stats and health facts: after a known sequence of operations the stats say exactly
// what happened (counts by queue, type and priority; outcomes, series, errors, durations, workers),
// they hold after a restart and after the jobs they counted were pruned, and health's facts name
// the queue with ready work and when it was last fetched from.
#include "queue/conformance/queue_conformance.hpp"

#include <numeric>

namespace corral::test {
namespace {

using core::JobState;

std::int64_t count(api::StateCounts const& c, JobState s) { return c[static_cast<std::size_t>(s)]; }

core::EnqueueRequest typed(std::string queue, std::string type, int priority = 0, int max_attempts = 3) {
  auto req = job_request(std::move(queue), priority);
  req.type = std::move(type);
  req.max_attempts = max_attempts;
  return req;
}

api::Stats stats_of(queue::QueueService& svc, Loop& loop, api::StatsQuery q = {}) {
  return must(loop.run(svc.stats(std::move(q))));
}

// Queue s1, type resize: one completed (worker w1), one failed for good (w1), one failed and
// retrying (a fetch without a worker id). Queue s2, type thumb, high priority: one ready.
void run_known_sequence(queue::QueueService& svc, Loop& loop) {
  for (auto const& req : {typed("s1", "resize"), typed("s1", "resize", 0, 1), typed("s1", "resize"),
                          typed("s2", "thumb", 10)}) {
    must(loop.run(svc.enqueue(req)));
  }
  auto by_w1 = fetch_request({"s1"});
  by_w1.worker_id = "w1";
  auto const first = must(loop.run(svc.fetch(by_w1))).at(0);
  must(loop.run(svc.complete(first.id, queue::CompleteRequest{*first.lease_token, "{}"})));
  auto const second = must(loop.run(svc.fetch(by_w1))).at(0);
  queue::FailRequest boom{*second.lease_token, core::JobError{"boom", "it broke", true}, {}};
  ASSERT_EQ(must(loop.run(svc.fail(second.id, boom))).status, JobState::failed);
  auto anonymous = fetch_request({"s1"});
  anonymous.worker_id = "";
  auto const third = must(loop.run(svc.fetch(anonymous))).at(0);
  boom.lease_token = *third.lease_token;
  ASSERT_EQ(must(loop.run(svc.fail(third.id, boom))).status, JobState::retrying);
}

void expect_window_of_known_sequence(api::Stats const& s) {
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.failed, 1);
  ASSERT_TRUE(s.success_rate);
  EXPECT_DOUBLE_EQ(*s.success_rate, 0.5);
  ASSERT_EQ(s.series.size(), 60u) << "one point per minute of the hour";
  auto completed = std::accumulate(s.series.begin(), s.series.end(), std::int64_t{0},
                                   [](std::int64_t n, api::SeriesPoint const& p) { return n + p.completed; });
  auto failed = std::accumulate(s.series.begin(), s.series.end(), std::int64_t{0},
                                [](std::int64_t n, api::SeriesPoint const& p) { return n + p.failed; });
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(s.series.back().start, std::chrono::floor<std::chrono::minutes>(s.now)) << "the last point is now's";
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].code, "boom");
  EXPECT_EQ(s.errors[0].message, "it broke");
  EXPECT_EQ(s.errors[0].count, 2) << "the retried failure counts too";
  EXPECT_EQ(s.errors[0].types, std::vector<std::string>{"resize"});
  ASSERT_TRUE(s.queue_wait.contains("resize"));
  EXPECT_EQ(s.queue_wait.at("resize").count, 3) << "three starts";
  ASSERT_TRUE(s.run_time.contains("resize"));
  EXPECT_EQ(s.run_time.at("resize").count, 3) << "three attempts ended";
  EXPECT_LE(s.run_time.at("resize").p50_s, s.run_time.at("resize").p99_s);
}

TEST_P(QueueConformance, StatsMatchAKnownSequenceOfOperations) {
  run_known_sequence(svc(), loop());
  auto const s = stats_of(svc(), loop());
  EXPECT_EQ(s.window, api::StatsWindow::hour);
  ASSERT_TRUE(s.by_queue.contains("s1") && s.by_queue.contains("s2"));
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::completed), 1);
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::failed), 1);
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::retrying), 1);
  EXPECT_EQ(count(s.by_queue.at("s2"), JobState::queued), 1);
  EXPECT_EQ(count(s.by_type.at("resize"), JobState::completed), 1);
  EXPECT_EQ(count(s.by_type.at("thumb"), JobState::queued), 1);
  EXPECT_EQ(count(s.by_priority.at(0), JobState::retrying), 1);
  EXPECT_EQ(count(s.by_priority.at(10), JobState::queued), 1);
  expect_window_of_known_sequence(s);
  EXPECT_EQ(s.oldest_ready_age_s.size(), 1u);
  EXPECT_TRUE(s.oldest_ready_age_s.contains("s2")) << "s1 has no ready job left";

  ASSERT_EQ(s.workers.size(), 1u);
  EXPECT_EQ(s.workers[0].worker_id, "w1");
  EXPECT_EQ(s.workers[0].queues, std::vector<std::string>{"s1"});
  EXPECT_EQ(s.workers[0].jobs_running, 0);
  ASSERT_TRUE(s.anonymous) << "fetches without a worker id are counted apart";
  EXPECT_EQ(s.anonymous->queues, std::vector<std::string>{"s1"});

  api::StatsQuery only_s2;
  only_s2.queue = "s2";
  auto const s2 = stats_of(svc(), loop(), only_s2);
  EXPECT_EQ(s2.by_queue.size(), 1u);
  EXPECT_EQ(s2.by_type.size(), 1u);
  EXPECT_EQ(s2.completed + s2.failed, 0);
  EXPECT_FALSE(s2.success_rate) << "nothing of s2 ended";
  EXPECT_TRUE(s2.errors.empty());

  api::StatsQuery day;
  day.window = api::StatsWindow::day;
  auto const d = stats_of(svc(), loop(), day);
  EXPECT_EQ(d.series.size(), 24u) << "one point per hour";
  EXPECT_EQ(d.completed, 1);
  EXPECT_EQ(d.failed, 1);
}

TEST_P(QueueConformance, WorkersShowTheLeasesTheyHold) {
  enqueue(typed("s1", "resize"));
  auto by_w2 = fetch_request({"s1", "s3"});
  by_w2.worker_id = "w2";
  ASSERT_EQ(fetch(by_w2).size(), 1u);
  auto const s = stats_of(svc(), loop());
  ASSERT_EQ(s.workers.size(), 1u);
  EXPECT_EQ(s.workers[0].worker_id, "w2");
  EXPECT_EQ(s.workers[0].queues, (std::vector<std::string>{"s1", "s3"})) << "an empty fetch is a sighting too";
  EXPECT_EQ(s.workers[0].jobs_running, 1);
  EXPECT_FALSE(s.anonymous);
}

TEST_P(QueueConformance, StatsWindowsSurviveARestartAndAPrune) {
  run_known_sequence(svc(), loop());
  close();
  open();
  expect_window_of_known_sequence(stats_of(svc(), loop()));

  auto const ended = must(run(svc().list(queue::ListQuery{.filter = {.statuses = {JobState::completed}}})));
  ASSERT_EQ(ended.jobs.size(), 1u);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return backend_now() > ended.jobs[0].completed_at; }));
  queue::PruneRequest prune;
  prune.older_than = core::Micros(0);
  ASSERT_EQ(must(run(svc().prune(prune))), 2) << "the completed and the failed job";
  auto const after = stats_of(svc(), loop());
  expect_window_of_known_sequence(after);
  EXPECT_EQ(count(after.by_queue.at("s1"), JobState::completed), 0) << "the counts follow the prune";
}

TEST_P(QueueConformance, HealthFactsNameTheQueueWithReadyWorkAndItsLastFetch) {
  enqueue(typed("lonely", "resize"));
  auto facts = must(run(svc().health_facts()));
  EXPECT_TRUE(facts.writable);
  auto find = [](api::HealthFacts const& f, std::string const& name) {
    auto it = std::find_if(f.queues.begin(), f.queues.end(), [&](auto const& q) { return q.name == name; });
    if (it == f.queues.end()) throw std::runtime_error("no queue " + name);
    return *it;
  };
  auto lonely = find(facts, "lonely");
  EXPECT_EQ(lonely.ready, 1);
  ASSERT_TRUE(lonely.oldest_ready_at);
  EXPECT_LE(*lonely.oldest_ready_at, facts.now);
  EXPECT_FALSE(lonely.last_fetch_at) << "nobody fetched from it";

  auto empty_fetch = fetch_request({"other", "lonely"});
  empty_fetch.worker_id = "w3";
  ASSERT_EQ(fetch(empty_fetch).size(), 1u);
  enqueue(typed("lonely", "resize"));
  close();
  open();
  facts = must(run(svc().health_facts()));
  lonely = find(facts, "lonely");
  EXPECT_EQ(lonely.ready, 1);
  ASSERT_TRUE(lonely.last_fetch_at) << "the last fetch is kept across a restart";
  EXPECT_LE(*lonely.last_fetch_at, facts.now);
  EXPECT_EQ(facts.workers_seen, 1);
  EXPECT_EQ(facts.completed_last_hour, 0);

  must(run(svc().pause("lonely")));
  facts = must(run(svc().health_facts()));
  EXPECT_TRUE(find(facts, "lonely").paused);
}

TEST_P(QueueConformance, StatsRefuseNothingButCountOnlyTheTypeAskedFor) {
  run_known_sequence(svc(), loop());
  api::StatsQuery thumb;
  thumb.type = "thumb";
  auto const s = stats_of(svc(), loop(), thumb);
  EXPECT_EQ(s.by_type.size(), 1u);
  EXPECT_TRUE(s.by_type.contains("thumb"));
  EXPECT_EQ(s.completed, 0);
  EXPECT_TRUE(s.queue_wait.empty());
}

}  // namespace
}  // namespace corral::test
