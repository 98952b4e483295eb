// Dependencies and named batches against the real server: a child waits for its parents and is
// given their results, a failed parent cancels it, and a named batch's on_success and
// on_complete jobs wait for its jobs.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client, ConflictError, NotFoundError, type LeasedJob } from "@corral/client";
import { corralServer, freshQueue } from "./support.js";

const env = corralServer();
const client = () => new Client({ url: env.corral.url });

// Fetches the one ready job of `queue` (waiting on the server, not polling) and completes it.
async function work(c: Client, queue: string, result: unknown): Promise<LeasedJob> {
  const [leased] = await c.fetchJobs({ queues: [queue], worker_id: "w1", wait_s: 5 });
  assert.ok(leased, `a job of ${queue} is ready`);
  await c.complete(leased.id, { lease_token: leased.lease_token, result });
  return leased;
}

describe("dependencies", () => {
  test("a child waits for its parents and is handed out with how each ended", async () => {
    const c = client();
    const queue = freshQueue("fan-in");
    const [a, b] = await c.enqueueBatch([
      { type: "extract", queue, payload: { part: 1 } },
      { type: "extract", queue, payload: { part: 2 } },
    ]);
    assert.ok(a && b);
    const child = await c.enqueue({ type: "load", queue: `${queue}-load`, depends_on: [a.id, b.id] });
    assert.equal(child.status, "waiting");
    assert.deepEqual(child.depends_on, [a.id, b.id]);
    assert.equal(child.on_parent_failure, "cancel");
    assert.equal(child.parents_left, 2);
    assert.deepEqual(child.parents, []);
    assert.equal(child.batch, null);

    await work(c, queue, { rows: 1 });
    const between = await c.getJob(child.id);
    assert.equal(between.status, "waiting");
    assert.equal(between.parents_left, 1);

    await work(c, queue, { rows: 2 });
    const ready = await c.getJob(child.id);
    assert.equal(ready.status, "queued");
    assert.equal(ready.parents_left, 0);
    assert.deepEqual(
      [...(ready.parents ?? [])].sort((x, y) => (x.id < y.id ? -1 : 1)),
      [
        { id: a.id, status: "completed", result: { rows: 1 } },
        { id: b.id, status: "completed", result: { rows: 2 } },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    const queues = await c.listQueues();
    assert.equal(queues.find((q) => q.name === `${queue}-load`)?.counts.queued, 1);
  });

  test("a cancelled parent cancels its child with parent_failed, unless it asked to run", async () => {
    const c = client();
    const queue = freshQueue("cascade");
    const parent = await c.enqueue({ type: "extract", queue });
    const child = await c.enqueue({ type: "load", queue, depends_on: [parent.id] });
    const runs = await c.enqueue({ type: "cleanup", queue, depends_on: [parent.id], on_parent_failure: "run" });
    assert.equal(runs.on_parent_failure, "run");

    await c.cancel(parent.id);
    const cancelled = await c.getJob(child.id);
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.error?.code, "parent_failed");
    const ran = await c.getJob(runs.id);
    assert.equal(ran.status, "queued");
    assert.deepEqual(ran.parents, [{ id: parent.id, status: "cancelled", result: null }]);
  });
});

describe("named batches", () => {
  test("enqueueBatch with a batch returns its on_success and on_complete jobs, which wait for every job", async () => {
    const c = client();
    const queue = freshQueue("named");
    const name = `import-${queue}`;
    const reply = await c.enqueueBatch(
      [
        { type: "row.import", queue, payload: { row: 1 } },
        { type: "row.import", queue, payload: { row: 2 } },
      ],
      { batch: { id: name, on_success: { type: "import.report", queue: `${queue}-after` }, on_complete: { type: "import.cleanup", queue: `${queue}-after` } } },
    );
    assert.equal(reply.batch.id, name);
    assert.deepEqual(reply.jobs.map((j) => j.batch), [name, name]);
    const onSuccess = reply.batch.on_success;
    assert.ok(onSuccess && reply.batch.on_complete);
    assert.equal(onSuccess.status, "waiting");
    assert.deepEqual([...onSuccess.depends_on].sort(), reply.jobs.map((j) => j.id).sort());

    let info = await c.getBatch(name);
    assert.equal(info.state, "active");
    assert.equal(info.total, 2);
    assert.equal(info.counts.queued, 2);
    assert.equal(info.counts.waiting, 0, "counts have the waiting state");
    assert.equal(info.on_success, onSuccess.id);
    assert.equal(info.on_complete, reply.batch.on_complete.id);

    await work(c, queue, "ok");
    await work(c, queue, "ok");
    info = await c.getBatch(name);
    assert.equal(info.state, "succeeded");
    assert.equal(info.counts.completed, 2);
    assert.equal((await c.getJob(onSuccess.id)).status, "queued");
  });

  test("a batch name already taken is a ConflictError already_exists, and an unknown one NotFoundError", async () => {
    const c = client();
    const queue = freshQueue("taken");
    const name = `taken-${queue}`;
    await c.enqueueBatch([{ type: "row.import", queue }], { batch: { id: name } });
    const taken = await c.enqueueBatch([{ type: "row.import", queue }], { batch: { id: name } }).catch((e: unknown) => e);
    assert.ok(taken instanceof ConflictError);
    assert.equal(taken.code, "already_exists");
    await assert.rejects(c.getBatch(`missing-${queue}`), NotFoundError);
  });

  test("enqueueBatch without a batch still returns the jobs alone", async () => {
    const jobs = await client().enqueueBatch([{ type: "row.import", queue: freshQueue("plain") }]);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.batch, null);
  });
});
