// The rules of dependencies: how a new job joins its parents, and how each parent's end moves it.
#include "core/dependencies.hpp"
#include "core/transition.hpp"

#include <gtest/gtest.h>

namespace corral::core {
namespace {

using S = JobState;

TimePoint const kT0 = from_unix_micros(1'700'000'000'000'000);

Job parent(std::string id, S status, std::optional<std::string> result = std::nullopt) {
  return Job{.id = std::move(id), .status = status, .result = std::move(result)};
}

Job child_of(std::vector<std::string> ids, OnParentFailure policy = OnParentFailure::cancel) {
  Job child{.id = "c", .status = S::queued, .run_at = kT0, .created_at = kT0, .updated_at = kT0};
  child.depends_on = std::move(ids);
  child.on_parent_failure = policy;
  return child;
}

TEST(Dependencies, AJobWithParentsStillRunningWaitsAndCountsThem) {
  auto const a = parent("a", S::running);
  auto const b = parent("b", S::completed, R"({"x":1})");
  auto child = child_of({"a", "b"});
  std::vector<Job const*> found{&a, &b};
  ASSERT_TRUE(join_parents(child, found, kT0));
  EXPECT_EQ(child.status, S::waiting);
  EXPECT_EQ(child.parents_left, 1);
  EXPECT_TRUE(child.parents.empty());
}

TEST(Dependencies, AJobWhoseParentsHaveAllCompletedIsLeftReadyWithTheirResults) {
  auto const a = parent("a", S::completed, R"({"x":1})");
  auto child = child_of({"a"});
  std::vector<Job const*> found{&a};
  ASSERT_TRUE(join_parents(child, found, kT0));
  EXPECT_EQ(child.status, S::queued);
  ASSERT_EQ(child.parents.size(), 1u);
  EXPECT_EQ(child.parents[0], (ParentOutcome{"a", S::completed, R"({"x":1})"}));
}

TEST(Dependencies, AParentThatHasFailedCancelsTheNewJobUnlessItRunsAnyway) {
  auto const a = parent("a", S::failed);
  auto child = child_of({"a"});
  std::vector<Job const*> found{&a};
  ASSERT_TRUE(join_parents(child, found, kT0));
  EXPECT_EQ(child.status, S::cancelled);
  EXPECT_EQ(child.error->code, "parent_failed");
  EXPECT_EQ(child.error->message, "parent a failed");

  auto runs = child_of({"a"}, OnParentFailure::run);
  ASSERT_TRUE(join_parents(runs, found, kT0));
  EXPECT_EQ(runs.status, S::queued);
  EXPECT_EQ(runs.parents[0].status, S::failed);
}

TEST(Dependencies, UnknownAndRepeatedParentsAreRefusedByPosition) {
  auto const a = parent("a", S::running);
  auto child = child_of({"a", "x"});
  std::vector<Job const*> found{&a, nullptr};
  auto refused = join_parents(child, found, kT0);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), make_error(Errc::invalid_argument, "depends_on[1]: no job x"));

  auto twice = child_of({"a", "a"});
  std::vector<Job const*> both{&a, &a};
  EXPECT_EQ(join_parents(twice, both, kT0).error(), make_error(Errc::invalid_argument, "depends_on[1] names a twice"));
}

TEST(Dependencies, EachParentsEndCountsDownAndTheLastMakesTheChildReady) {
  auto child = child_of({"a", "b"});
  child.status = S::waiting;
  child.parents_left = 2;
  auto const a = parent("a", S::completed);
  auto first = apply(child, parent_ended_event(a, {}), kT0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->job.status, S::waiting);
  EXPECT_EQ(first->job.parents_left, 1);
  EXPECT_EQ(first->kind, JobEventKind::parent_ended);

  std::vector<ParentOutcome> outcomes{{"a", S::completed, std::nullopt}, {"b", S::completed, "1"}};
  auto const b = parent("b", S::completed, "1");
  auto last = apply(first->job, parent_ended_event(b, outcomes), kT0);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->job.status, S::queued);
  EXPECT_EQ(last->job.parents, outcomes);
  EXPECT_EQ(last->kind, JobEventKind::ready);
}

TEST(Dependencies, AChildDueLaterIsScheduledWhenItsLastParentEnds) {
  auto child = child_of({"a"});
  child.status = S::waiting;
  child.parents_left = 1;
  child.run_at = kT0 + Micros(60'000'000);
  auto ready = apply(child, parent_ended_event(parent("a", S::completed), {}), kT0);
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->job.status, S::scheduled);
  EXPECT_EQ(deadline_of(ready->job), child.run_at);
}

TEST(Dependencies, AParentCancelledWhileTheChildWaitsCancelsIt) {
  auto child = child_of({"a", "b"});
  child.status = S::waiting;
  child.parents_left = 2;
  auto cancelled = apply(child, parent_ended_event(parent("a", S::cancelled), {}), kT0);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->job.status, S::cancelled);
  EXPECT_EQ(cancelled->job.error->message, "parent a was cancelled");
  EXPECT_EQ(cancelled->kind, JobEventKind::cancelled);
  EXPECT_EQ(cancelled->job.completed_at, kT0);
}

TEST(Dependencies, OnlyTheEndOfAJobThatWasNotOverIsAnEndForItsChildren) {
  EXPECT_TRUE(ends_for_children(S::running, S::completed));
  EXPECT_TRUE(ends_for_children(S::queued, S::cancelled));
  EXPECT_TRUE(ends_for_children(std::nullopt, S::cancelled));
  EXPECT_FALSE(ends_for_children(S::running, S::retrying));
  EXPECT_FALSE(ends_for_children(S::failed, S::failed));
}

}  // namespace
}  // namespace corral::core
