import assert from "node:assert/strict";
import { test } from "node:test";
import type { Job, JobEvent } from "./api/types";
import { applyEvent, gainsNewJobs } from "./live_jobs";

const job = (id: string, status: Job["status"] = "queued"): Job =>
  ({ id, type: "t", queue: "q", status, attempt: 0, max_attempts: 3, progress: null, error: null, owner: null } as Job);
const event = (kind: string, id: string, status: JobEvent["status"], extra: Partial<JobEvent> = {}): JobEvent => ({
  kind, seq: 1, job_id: id, queue: "q", type: "t", status, ...extra,
});

test("an event for a row on screen patches it in place", () => {
  const rows = [job("a"), job("b")];
  const out = applyEvent(rows, event("progress", "b", "running", { attempt: 1, progress: { percent: 40 } }), {}, true);
  assert.equal(out.refetch, false);
  assert.equal(out.rows[1]!.status, "running");
  assert.deepEqual(out.rows[1]!.progress, { percent: 40 });
  assert.equal(rows[1]!.status, "queued", "the old rows are not changed");
});

test("a new matching job asks the page to be fetched again only where it would land", () => {
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), {}, true).refetch, true);
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), {}, false).refetch, false, "not on a later page");
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), { queue: "other" }, true).refetch, false);
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), { error_code: "smtp" }, true).refetch, false,
    "a new job has no error");
});

test("new jobs land on the first page, or on the last when the oldest come first", () => {
  assert.equal(gainsNewJobs({}, true, false), true);
  assert.equal(gainsNewJobs({ sort: "updated" }, true, false), true);
  assert.equal(gainsNewJobs({ sort: "oldest" }, true, false), false);
  assert.equal(gainsNewJobs({ sort: "oldest" }, false, true), true);
});

test("sorted by last change, a changed row moves to the top of the first page", () => {
  const out = applyEvent([job("a"), job("b")], event("started", "b", "running", { at: "2026-01-01T00:00:00Z" }), { sort: "updated" }, true);
  assert.deepEqual(out.rows.map((j) => j.id), ["b", "a"]);
  assert.equal(out.rows[0]!.updated_at, "2026-01-01T00:00:00Z");
});

test("a deleted job leaves the list", () => {
  const out = applyEvent([job("a", "failed"), job("b")], event("deleted", "a", "failed"), {}, true);
  assert.deepEqual(out.rows.map((j) => j.id), ["b"]);
  assert.equal(applyEvent([job("b")], event("deleted", "x", "failed"), {}, true).refetch, false);
});
