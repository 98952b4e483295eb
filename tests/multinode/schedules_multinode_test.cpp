// Two nodes on one PostgreSQL run one schedule: each tick is enqueued once, by whichever node
// locked the schedule's row first (FOR UPDATE SKIP LOCKED, next_run_at moved in the same commit),
// and the other node carries on alone when one is killed.
#include "multinode/two_nodes.hpp"

#include "support/list_all_jobs.hpp"

#include <algorithm>

namespace corral::test {
namespace {

// The ticks (unix microseconds) of the jobs in `queue`, sorted.
std::vector<std::int64_t> ticks_in(Client& api, std::string const& queue) {
  std::vector<std::int64_t> ticks;
  for (auto const& job : list_all_jobs(api, queue)) {
    if (job.scheduled_for) ticks.push_back(core::to_unix_micros(*job.scheduled_for));
  }
  std::sort(ticks.begin(), ticks.end());
  return ticks;
}

TEST_F(TwoNodes, EachTickOfAScheduleIsEnqueuedOnceWhateverNodeRunsIt) {
  json::object body{{"name", "both"}, {"cron", "* * * * * *"}, {"job", {{"type", "tick"}, {"queue", "both"}}}};
  expect_json(a().post("/api/v1/schedules", body), 201);
  // A change through b wakes b's ticker too, so both nodes run the schedule from now on.
  expect_json(b().request("PATCH", "/api/v1/schedules/both", R"({"overlap":"allow"})"), 200);
  ASSERT_TRUE(wait_until(kDeadline, [&] { return list_all_jobs(a(), "both").size() >= 4; }));
  a_.kill();
  auto const before = list_all_jobs(b(), "both").size();
  ASSERT_TRUE(wait_until(kDeadline, [&] { return list_all_jobs(b(), "both").size() >= before + 2; }));

  auto ticks = ticks_in(b(), "both");
  ASSERT_EQ(ticks.size(), list_all_jobs(b(), "both").size()) << "a job without its tick";
  EXPECT_EQ(std::adjacent_find(ticks.begin(), ticks.end()), ticks.end()) << "a tick enqueued twice";
}

}  // namespace
}  // namespace corral::test
