// Conformance, the views of one owner: owner_queues and stats with an owner count that owner's
// jobs only, name no queue that holds only another owner's jobs, and leave out the workers;
// without an owner both still count every job.
#include "queue/conformance/queue_conformance.hpp"

#include <set>
#include <tuple>

namespace corral::test {
namespace {

using core::JobState;

std::int64_t count(api::StateCounts const& c, JobState s) { return c[static_cast<std::size_t>(s)]; }

std::set<std::string> names_of(std::vector<queue::QueueInfo> const& queues) {
  std::set<std::string> out;
  for (auto const& q : queues) out.insert(q.name);
  return out;
}

queue::QueueInfo const& named(std::vector<queue::QueueInfo> const& queues, std::string const& name) {
  for (auto const& q : queues) {
    if (q.name == name) return q;
  }
  throw std::runtime_error("no queue " + name);
}

// The calls of these tests, on the service and loop of the test.
struct OwnerCalls {
  queue::QueueService& svc;
  Loop& loop;

  core::Job enqueue_as(std::string owner, std::string queue, std::string type = "t", int max_attempts = 3) {
    auto req = job_request(std::move(queue));
    req.owner = std::move(owner);
    req.type = std::move(type);
    req.max_attempts = max_attempts;
    return must(loop.run(svc.enqueue(std::move(req)))).job;
  }

  core::Job lease_next(std::string const& queue) {
    auto req = fetch_request({queue});
    req.worker_id = "w1";
    return must(loop.run(svc.fetch(std::move(req)))).at(0);
  }

  // Leases the next job of `queue` as worker w1 and fails it with `code`.
  core::Job fail_next(std::string const& queue, std::string const& code) {
    auto const job = lease_next(queue);
    queue::FailRequest f{*job.lease_token, core::JobError{code, code + " happened", true}, {}};
    return must(loop.run(svc.fail(job.id, f)));
  }

  core::Job complete_next(std::string const& queue) {
    auto const job = lease_next(queue);
    return must(loop.run(svc.complete(job.id, queue::CompleteRequest{*job.lease_token, "{}"})));
  }

  std::vector<queue::QueueInfo> queues_of(std::string owner) { return must(loop.run(svc.owner_queues(std::move(owner)))); }

  api::Stats stats_of(std::optional<std::string> owner, std::optional<std::string> queue = std::nullopt) {
    api::StatsQuery q;
    q.owner = std::move(owner);
    q.queue = std::move(queue);
    return must(loop.run(svc.stats(std::move(q))));
  }
};

TEST_P(QueueConformance, OwnerQueuesNameOnlyTheQueuesHoldingThatOwnersJobsAndCountThoseOnly) {
  OwnerCalls on{svc(), loop()};
  on.enqueue_as("acme", "shared");
  on.enqueue_as("acme", "shared");
  on.enqueue_as("acme", "acme_only");
  on.enqueue_as("globex", "shared");
  on.enqueue_as("globex", "globex_only");
  enqueue(job_request("nobodys"));
  must(run(svc().pause("shared")));
  must(run(svc().pause("configured_empty")));

  auto const acme = on.queues_of("acme");
  EXPECT_EQ(names_of(acme), (std::set<std::string>{"acme_only", "shared"}));
  EXPECT_EQ(count(named(acme, "shared").counts, JobState::queued), 2);
  EXPECT_TRUE(named(acme, "shared").paused) << "the queue's settings are shown as they are";
  EXPECT_EQ(count(named(acme, "acme_only").counts, JobState::queued), 1);
  EXPECT_FALSE(named(acme, "acme_only").paused);

  auto const globex = on.queues_of("globex");
  EXPECT_EQ(names_of(globex), (std::set<std::string>{"globex_only", "shared"}));
  EXPECT_EQ(count(named(globex, "shared").counts, JobState::queued), 1);
  EXPECT_TRUE(on.queues_of("initech").empty()) << "an owner without jobs sees no queue";

  auto const everyone = must(run(svc().queues()));
  EXPECT_EQ(names_of(everyone),
            (std::set<std::string>{"acme_only", "configured_empty", "globex_only", "nobodys", "shared"}));
  EXPECT_EQ(count(named(everyone, "shared").counts, JobState::queued), 3);
}

TEST_P(QueueConformance, OwnerQueuesFollowTheOwnersJobsThroughTheirStates) {
  OwnerCalls on{svc(), loop()};
  on.enqueue_as("acme", "work");
  on.enqueue_as("acme", "work");
  on.enqueue_as("globex", "work");
  on.complete_next("work");   // acme's first, in FIFO order
  auto const acme = named(on.queues_of("acme"), "work");
  EXPECT_EQ(count(acme.counts, JobState::completed), 1);
  EXPECT_EQ(count(acme.counts, JobState::queued), 1);
  auto const globex = named(on.queues_of("globex"), "work");
  EXPECT_EQ(count(globex.counts, JobState::completed), 0);
  EXPECT_EQ(count(globex.counts, JobState::queued), 1);
}

TEST_P(QueueConformance, StatsOfAnOwnerCountTimeAndListErrorsOfThatOwnersJobsOnly) {
  OwnerCalls on{svc(), loop()};
  // acme, queue s1, type resize: one completed, one failed for good, one failed and retrying;
  // queue s2: one ready. globex, queue g1, type thumb: one completed, one failed and retrying;
  // queue g2: one ready.
  on.enqueue_as("acme", "s1", "resize");
  on.enqueue_as("acme", "s1", "resize", 1);
  on.enqueue_as("acme", "s1", "resize");
  on.enqueue_as("acme", "s2", "resize");
  on.enqueue_as("globex", "g1", "thumb");
  on.enqueue_as("globex", "g1", "thumb");
  on.enqueue_as("globex", "g2", "thumb");
  on.complete_next("s1");
  ASSERT_EQ(on.fail_next("s1", "boom").status, JobState::failed);
  ASSERT_EQ(on.fail_next("s1", "boom").status, JobState::retrying);
  on.complete_next("g1");
  ASSERT_EQ(on.fail_next("g1", "globex_error").status, JobState::retrying);

  auto const s = on.stats_of("acme");
  EXPECT_EQ(s.window, api::StatsWindow::hour);
  EXPECT_EQ(std::set<std::string>({"s1", "s2"}), [&] {
    std::set<std::string> out;
    for (auto const& [q, c] : s.by_queue) out.insert(q);
    return out;
  }());
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::completed), 1);
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::failed), 1);
  EXPECT_EQ(count(s.by_queue.at("s1"), JobState::retrying), 1);
  EXPECT_EQ(count(s.by_queue.at("s2"), JobState::queued), 1);
  ASSERT_EQ(s.by_type.size(), 1u);
  EXPECT_TRUE(s.by_type.contains("resize"));
  EXPECT_EQ(count(s.by_priority.at(0), JobState::queued), 1);
  EXPECT_EQ(s.completed, 1);
  EXPECT_EQ(s.failed, 1);
  ASSERT_TRUE(s.success_rate);
  EXPECT_DOUBLE_EQ(*s.success_rate, 0.5);
  ASSERT_EQ(s.series.size(), 60u);
  std::int64_t completed = 0, failed = 0;
  for (auto const& p : s.series) completed += p.completed, failed += p.failed;
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(failed, 1);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ((std::tuple{s.errors[0].code, s.errors[0].count, s.errors[0].types}),
            (std::tuple{std::string("boom"), std::int64_t{2}, std::vector<std::string>{"resize"}}))
      << "the retried failure counts too";
  auto count_of = [](auto const& by_type, std::string const& type) {
    return by_type.contains(type) ? by_type.at(type).count : std::int64_t{0};
  };
  EXPECT_EQ(count_of(s.run_time, "resize"), 3) << "three attempts ended";
  EXPECT_EQ(count_of(s.queue_wait, "resize"), 2) << "the latest start of each job not due again";
  EXPECT_FALSE(s.queue_wait.contains("thumb"));
  EXPECT_EQ(s.oldest_ready_age_s.size(), 1u);
  EXPECT_TRUE(s.oldest_ready_age_s.contains("s2"));
  EXPECT_TRUE(s.workers.empty()) << "a worker's sightings are of every owner's jobs";
  EXPECT_FALSE(s.anonymous);

  auto const g = on.stats_of("globex");
  EXPECT_EQ(g.by_queue.size(), 2u);
  EXPECT_TRUE(g.by_queue.contains("g1") && g.by_queue.contains("g2"));
  EXPECT_EQ(g.completed, 1);
  EXPECT_EQ(g.failed, 0);
  ASSERT_EQ(g.errors.size(), 1u);
  EXPECT_EQ(g.errors[0].code, "globex_error");

  auto const other_queue = on.stats_of("acme", "g1");
  EXPECT_TRUE(other_queue.by_queue.empty()) << "another owner's queue named in the query counts nothing";
  EXPECT_EQ(other_queue.completed + other_queue.failed, 0);
  EXPECT_TRUE(other_queue.errors.empty());

  auto const all = on.stats_of(std::nullopt);
  EXPECT_EQ(all.by_queue.size(), 4u);
  EXPECT_EQ(all.completed, 2);
  EXPECT_EQ(all.errors.size(), 2u);
  EXPECT_EQ(all.workers.size(), 1u) << "without an owner the workers are shown";
}

TEST_P(QueueConformance, StatsOfAnOwnerWithoutJobsAreEmpty) {
  OwnerCalls on{svc(), loop()};
  on.enqueue_as("globex", "g1");
  on.complete_next("g1");
  auto const s = on.stats_of("initech");
  EXPECT_TRUE(s.by_queue.empty());
  EXPECT_TRUE(s.by_type.empty());
  EXPECT_EQ(s.completed, 0);
  EXPECT_FALSE(s.success_rate);
  EXPECT_EQ(s.series.size(), 60u) << "every step of the window, zeros too";
  EXPECT_TRUE(s.run_time.empty());
}

}  // namespace
}  // namespace corral::test
