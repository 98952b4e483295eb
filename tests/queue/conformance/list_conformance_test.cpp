// Conformance, listing: each filter narrows to exactly its jobs, each sort orders and pages
// without duplicates or gaps, a summary leaves out exactly the large fields, and a count is exact
// up to its bound.
#include "queue/conformance/job_mix.hpp"
#include "queue/conformance/queue_conformance.hpp"

#include <set>

namespace corral::test {
namespace {

using core::JobState;
using queue::ListSort;

// Every job `query` lists, page after page of `page_size`; fails the test on a repeated job.
std::vector<core::Job> all_pages(queue::QueueService& svc, Loop& loop, queue::ListQuery query, int page_size) {
  query.limit = page_size;
  std::vector<core::Job> out;
  std::set<std::string> seen;
  for (int pages = 0; pages < 1000; ++pages) {
    auto const page = must(loop.run(svc.list(query)));
    EXPECT_LE(page.jobs.size(), static_cast<std::size_t>(page_size));
    for (auto const& j : page.jobs) {
      EXPECT_TRUE(seen.insert(j.id).second) << j.id << " is on two pages";
      out.push_back(j);
    }
    if (!page.next) return out;
    EXPECT_EQ(page.next->sort, query.sort) << "a cursor belongs to its sort";
    query.cursor = page.next;
  }
  ADD_FAILURE() << "paging did not end";
  return out;
}

queue::ListQuery filtered(queue::JobFilter filter) {
  queue::ListQuery q;
  q.filter = std::move(filter);
  q.limit = 1000;
  return q;
}

TEST_P(QueueConformance, EachListFilterNarrowsToExactlyItsJobs) {
  auto const m = make_job_mix(svc(), loop());
  auto listed = [&](queue::JobFilter f) { return sorted_ids(must(run(svc().list(filtered(std::move(f))))).jobs); };
  auto ids = [](std::vector<core::Job> jobs) { return sorted_ids(jobs); };

  EXPECT_EQ(listed({}), ids(m.all())) << "no filter lists every job";
  EXPECT_EQ(listed({.statuses = {JobState::failed}}), ids({m.smtp, m.db}));
  EXPECT_EQ(listed({.statuses = {JobState::failed, JobState::cancelled}}), ids({m.smtp, m.db, m.cancelled}));
  EXPECT_EQ(listed({.statuses = {JobState::running, JobState::scheduled}}), ids({m.running, m.scheduled}));
  EXPECT_EQ(listed({.queue = "mail"}), ids({m.queued, m.scheduled}));
  EXPECT_EQ(listed({.type = "render"}), ids({m.smtp}));
  EXPECT_EQ(listed({.owner = "acct-1"}), ids({m.queued}));
  EXPECT_EQ(listed({.error_code = "smtp_down"}), ids({m.smtp}));
  EXPECT_EQ(listed({.error_code = "smtp"}), ids({})) << "error_code is an exact match";
  EXPECT_EQ(listed({.error_text = "refused"}), ids({m.smtp})) << "error_text ignores case";
  EXPECT_EQ(listed({.error_text = "DATABASE did"}), ids({m.db}));
  EXPECT_EQ(listed({.error_text = "n"}), ids({m.smtp, m.db}));
  EXPECT_EQ(listed({.error_text = "%"}), ids({})) << "error_text is a literal substring, not a pattern";
  EXPECT_EQ(listed({.error_text = "_"}), ids({})) << "error_text is a literal substring, not a pattern";
  EXPECT_EQ(listed({.type = "send"}), ids({m.queued, m.db, m.cancelled, m.completed, m.scheduled, m.running}));
  EXPECT_EQ(listed({.statuses = {JobState::failed}, .type = "send"}), ids({m.db})) << "filters are AND-ed";

  // Creation times: after is inclusive, before exclusive.
  auto const at = m.cancelled.created_at;
  std::vector<core::Job> from, until;
  for (auto const& j : m.all()) (j.created_at >= at ? from : until).push_back(j);
  EXPECT_EQ(listed({.created_after = at}), ids(from));
  EXPECT_EQ(listed({.created_before = at}), ids(until));
  EXPECT_EQ(listed({.created_after = at, .created_before = at + core::Micros(1)}), ids({m.cancelled}));
}

TEST_P(QueueConformance, ListingByIdsGivesThoseJobsAndNoUnknownOne) {
  auto const m = make_job_mix(svc(), loop());
  queue::ListQuery q;
  q.ids = {m.db.id, "job_unknown", m.running.id};
  EXPECT_EQ(sorted_ids(must(run(svc().list(q))).jobs), sorted_ids({m.db, m.running}));
  q.filter.statuses = {JobState::failed};
  EXPECT_EQ(sorted_ids(must(run(svc().list(q))).jobs), sorted_ids({m.db})) << "ids and filters are AND-ed";
}

TEST_P(QueueConformance, EachSortOrdersAndPagesWithoutDuplicatesOrGaps) {
  std::vector<core::Job> jobs;
  for (int i = 0; i < 7; ++i) jobs.push_back(enqueue(job_request("sorted")));
  // Change some of them, out of enqueue order, so that the last change is not the last enqueue.
  for (int i : {5, 1, 3}) must(run(svc().cancel(jobs[static_cast<std::size_t>(i)].id)));
  for (auto& j : jobs) j = must(get(j.id));

  auto listed = [&](ListSort sort, int page_size) {
    queue::ListQuery q;
    q.sort = sort;
    q.filter.queue = "sorted";
    return all_pages(svc(), loop(), q, page_size);
  };
  auto const in_enqueue_order = jobs;
  auto by_change = jobs;
  std::sort(by_change.begin(), by_change.end(), [](auto const& a, auto const& b) {
    return std::pair(a.updated_at, a.seq) > std::pair(b.updated_at, b.seq);
  });
  auto reversed = in_enqueue_order;
  std::reverse(reversed.begin(), reversed.end());
  for (int page_size : {1, 2, 3, 7, 50}) {
    EXPECT_EQ(ids_of(listed(ListSort::newest, page_size)), ids_of(reversed)) << page_size;
    EXPECT_EQ(ids_of(listed(ListSort::oldest, page_size)), ids_of(in_enqueue_order)) << page_size;
    EXPECT_EQ(ids_of(listed(ListSort::updated, page_size)), ids_of(by_change)) << page_size;
  }
  EXPECT_EQ(listed(ListSort::updated, 7).front().id, jobs[3].id) << "the job changed last comes first";
}

TEST_P(QueueConformance, UpdatedSortPagesOnPastJobsThatShareAChangeTime) {
  // Cancelled in one commit, so all share one updated_at: seq breaks the tie, and the cursor
  // must carry both to resume inside the tie.
  std::vector<core::Job> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(enqueue(job_request("tied")));
  queue::BulkRequest cancel{.action = queue::BulkAction::cancel, .ids = ids_of(jobs)};
  ASSERT_EQ(must(run(svc().bulk(cancel))).changed, 5);
  queue::ListQuery q;
  q.sort = ListSort::updated;
  q.filter.queue = "tied";
  auto reversed = ids_of(jobs);
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(ids_of(all_pages(svc(), loop(), q, 2)), reversed);
}

TEST_P(QueueConformance, ASummaryLeavesOutExactlyPayloadResultCheckpointAndAttempts) {
  auto const m = make_job_mix(svc(), loop());
  queue::ListQuery q = filtered({});
  q.summary = true;
  auto const summaries = must(run(svc().list(q))).jobs;
  ASSERT_EQ(summaries.size(), m.all().size());
  for (auto const& summary : summaries) {
    auto full = must(get(summary.id));
    EXPECT_TRUE(summary.payload.empty()) << summary.id;
    EXPECT_TRUE(summary.attempts.empty()) << summary.id;
    EXPECT_FALSE(summary.result) << summary.id;
    EXPECT_FALSE(summary.checkpoint) << summary.id;
    full.payload.clear();
    full.attempts.clear();
    full.result.reset();
    full.checkpoint.reset();
    EXPECT_EQ(summary, full) << "every other field is the job's: " << summary.id;
  }
}

TEST_P(QueueConformance, ACountIsExactAndIgnoresTheCursor) {
  auto const m = make_job_mix(svc(), loop());
  queue::ListQuery q;
  q.count = true;
  q.limit = 2;
  auto const first = must(run(svc().list(q)));
  EXPECT_EQ(first.total, static_cast<std::int64_t>(m.all().size()));
  EXPECT_TRUE(first.total_exact);
  q.cursor = first.next;
  auto const second = must(run(svc().list(q)));
  EXPECT_EQ(second.total, first.total) << "the total is of every match, not of the pages left";
  q.filter.statuses = {JobState::failed};
  EXPECT_EQ(must(run(svc().list(filtered({.statuses = {JobState::failed}})))).total, std::nullopt)
      << "no count unless asked";
  q.cursor.reset();
  EXPECT_EQ(must(run(svc().list(q))).total, 2);
}

TEST_P(QueueConformance, ACountStopsAtTenThousandAndSaysSo) {
  std::vector<core::EnqueueRequest> batch(1000, job_request("many"));
  for (int i = 0; i < 10; ++i) must(run(svc().enqueue_batch(batch)));
  queue::ListQuery q;
  q.count = true;
  q.limit = 1;
  auto const exact = must(run(svc().list(q)));
  EXPECT_EQ(exact.total, 10000);
  EXPECT_TRUE(exact.total_exact) << "10,000 matches are counted exactly";
  must(run(svc().enqueue(job_request("many"))));
  auto const bounded = must(run(svc().list(q)));
  EXPECT_EQ(bounded.total, 10000);
  EXPECT_FALSE(bounded.total_exact) << "10,001 matches: more than 10,000";
}

}  // namespace
}  // namespace corral::test
