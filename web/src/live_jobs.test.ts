import assert from "node:assert/strict";
import { test } from "node:test";
import type { Job, JobEvent } from "./api/types";
import { applyEvent } from "./live_jobs";

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

test("a new matching job asks the first page to be fetched again", () => {
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), {}, true).refetch, true);
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), {}, false).refetch, false, "not on a later page");
  assert.equal(applyEvent([job("a")], event("enqueued", "n", "queued"), { queue: "other" }, true).refetch, false);
});

test("a deleted job leaves the list", () => {
  const out = applyEvent([job("a", "failed"), job("b")], event("deleted", "a", "failed"), {}, true);
  assert.deepEqual(out.rows.map((j) => j.id), ["b"]);
  assert.equal(applyEvent([job("b")], event("deleted", "x", "failed"), {}, true).refetch, false);
});
