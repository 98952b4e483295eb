import assert from "node:assert/strict";
import { test } from "node:test";
import type { Batch, Job } from "./api/types";
import { batchCounts, batchSummary, hasDependencies, parentRows, parentsSummary } from "./dependencies";

function job(fields: Partial<Job>): Job {
  return { id: "job_c", status: "queued", depends_on: [], parents_left: 0, parents: [], ...fields } as Job;
}

test("a job without depends_on has no dependencies part", () => {
  assert.equal(hasDependencies(job({})), false);
  assert.equal(hasDependencies(job({ depends_on: undefined })), false, "an older server's job");
  assert.equal(hasDependencies(job({ depends_on: ["job_a"] })), true);
});

test("a waiting job says how many parents are left, and their ends are not known yet", () => {
  const j = job({ status: "waiting", depends_on: ["job_a", "job_b", "job_x"], parents_left: 2 });
  assert.equal(parentsSummary(j), "Waiting for 2 of 3 parents to end.");
  assert.deepEqual(parentRows(j), [
    { id: "job_a", status: undefined },
    { id: "job_b", status: undefined },
    { id: "job_x", status: undefined },
  ]);
  assert.equal(parentsSummary(job({ status: "waiting", depends_on: ["job_a"], parents_left: 1 })), "Waiting for 1 of 1 parent to end.");
});

test("once the last parent ended, each parent shows how it ended, a deleted one as null", () => {
  const j = job({
    depends_on: ["job_a", "job_b"],
    parents: [
      { id: "job_a", status: "completed", result: 1 },
      { id: "job_b", status: null, result: null },
    ],
  });
  assert.equal(parentsSummary(j), "All 2 parents ended.");
  assert.deepEqual(parentRows(j), [
    { id: "job_a", status: "completed" },
    { id: "job_b", status: null },
  ]);
});

test("a child cancelled before its last parent ended says how many had ended", () => {
  const j = job({ status: "cancelled", depends_on: ["job_a", "job_b", "job_c"], parents_left: 2 });
  assert.equal(parentsSummary(j), "1 of 3 parents ended; 2 had not when this job left waiting.");
});

test("a large fan-in lists only the first parents", () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `job_${i}`);
  const rows = parentRows(job({ status: "waiting", depends_on: ids, parents_left: 1000 }), 50);
  assert.equal(rows.length, 50);
  assert.equal(rows[49]!.id, "job_49");
});

test("a batch is summed up by its state and its non-zero counts, in a job's life order", () => {
  const batch: Batch = {
    id: "import-42",
    state: "active",
    total: 3,
    counts: { queued: 1, scheduled: 0, running: 1, retrying: 0, completed: 1, failed: 0, cancelled: 0, waiting: 0 },
    owner: null,
    created_at: "2026-12-06T19:40:02Z",
    on_success: "job_s",
    on_complete: null,
  };
  assert.equal(batchSummary(batch), "Active: 1 of 3 jobs completed so far.");
  assert.deepEqual(batchCounts(batch.counts), [
    { state: "queued", count: 1 },
    { state: "running", count: 1 },
    { state: "completed", count: 1 },
  ]);
  assert.equal(batchSummary({ ...batch, state: "succeeded", counts: { completed: 3 } }), "Succeeded: all 3 jobs completed.");
  assert.equal(
    batchSummary({ ...batch, state: "failed", counts: { completed: 2, failed: 1 } }),
    "Failed: 2 of 3 jobs completed; the others failed or were cancelled.",
  );
});
