// Worker against the real server: leases kept alive by heartbeats alone, progress and
// checkpoints, cancellation, graceful stop, permanent versus retryable failure, and a lost lease.

import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import {
  Client,
  JobAbortedError,
  PermanentError,
  StaleLeaseError,
  Worker,
  type Job,
  type WorkerOptions,
} from "@corral/client";
import { corralServer, freshQueue, gate, waitFor } from "./support.js";

const env = corralServer();
let workers: Worker[] = [];
let errors: unknown[] = [];

function startWorker(options: WorkerOptions): Worker {
  const worker = new Worker({ url: env.corral.url, waitS: 5, onError: (e) => errors.push(e), ...options });
  workers.push(worker);
  return worker;
}

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })));
  workers = [];
  const seen = errors;
  errors = [];
  assert.deepEqual(seen.map(String), [], "the worker met no error it had to report");
});

const client = () => new Client({ url: env.corral.url });
const running = (c: Client, id: string) => waitFor(`job ${id} to run`, async () => (await c.getJob(id)).status === "running");

describe("Worker", () => {
  test("heartbeats keep a long job alive past its lease without the handler's help", async () => {
    const c = client();
    const queue = freshQueue("long");
    const finish = gate();
    const worker = startWorker({ queues: [queue], leaseS: 2 }).handle("video.encode", async () => {
      await finish.promise;
      return { ok: true };
    });
    worker.start();
    const job = await c.enqueue({ type: "video.encode", queue });
    // The lease has been renewed to reach past four lease lengths after the start: the
    // heartbeats went on without the handler doing anything.
    const renewed = await waitFor("the lease to be renewed well past its first length", async () => {
      const now = await c.getJob(job.id);
      const start = Date.parse(now.started_at ?? "");
      const until = Date.parse(now.lease_expires_at ?? "");
      return now.status === "running" && until > start + 4 * 2_000 ? now : undefined;
    });
    assert.equal(renewed.attempt, 1);
    finish.open();
    const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result, { ok: true });
    assert.deepEqual(done.attempts.map((a) => a.outcome), ["completed"]);
  });

  test("progress and checkpoints are visible, and the checkpoint comes back on the next attempt", async () => {
    const c = client();
    const queue = freshQueue("checkpoint");
    const seen = gate();
    const checkpoints: unknown[] = [];
    const worker = startWorker({ queues: [queue], leaseS: 10 }).handle("report.build", async (job, ctx) => {
      checkpoints.push(ctx.job.checkpoint);
      if (job.attempt === 1) {
        await ctx.progress({ percent: 40, stage: "render", message: "page 2 of 5", current: 2, total: 5 });
        await ctx.checkpoint({ page: 2 });
        await seen.promise;
        // Set just before failing: the worker saves it before it reports the failure.
        await ctx.checkpoint({ page: 3 });
        throw new Error("renderer crashed");
      }
      return { pages: 5 };
    });
    worker.start();
    const job = await c.enqueue({ type: "report.build", queue, backoff: { initial_s: 0 } });
    const during = await waitFor("progress and checkpoint on the job", async () => {
      const now = await c.getJob(job.id);
      return now.progress?.percent === 40 && now.checkpoint !== null ? now : undefined;
    });
    assert.deepEqual(during.progress, { percent: 40, stage: "render", message: "page 2 of 5", current: 2, total: 5 });
    assert.deepEqual(during.checkpoint, { page: 2 });
    seen.open();
    const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, "completed");
    assert.equal(done.attempt, 2);
    assert.deepEqual(done.result, { pages: 5 });
    assert.deepEqual(checkpoints, [null, { page: 3 }]);
    assert.deepEqual(done.attempts[0]?.error, { code: "error", message: "renderer crashed", retryable: true });
  });

  test("a checkpoint sent with { now: true } is saved before the call returns", async () => {
    const c = client();
    const queue = freshQueue("checkpoint-now");
    const finish = gate();
    const saved = gate<Job>();
    const worker = startWorker({ queues: [queue], leaseS: 60 }).handle("report.build", async (job, ctx) => {
      await ctx.checkpoint({ step: 1 }, { now: true });
      saved.open(await c.getJob(job.id));
      await finish.promise;
    });
    worker.start();
    const job = await c.enqueue({ type: "report.build", queue });
    assert.deepEqual((await saved.promise).checkpoint, { step: 1 });
    finish.open();
    assert.equal((await c.waitForJob(job.id, { timeoutMs: 15_000 })).status, "completed");
  });

  test("a cancel reaches the handler through ctx.signal and ctx.cancelled", async () => {
    const c = client();
    const queue = freshQueue("cancel");
    const observed = gate<{ cancelled: boolean; reason: unknown }>();
    const worker = startWorker({ queues: [queue], leaseS: 2 }).handle("report.build", async (_job, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
      observed.open({ cancelled: ctx.cancelled, reason: ctx.signal.reason });
      throw ctx.signal.reason;
    });
    worker.start();
    const job = await c.enqueue({ type: "report.build", queue });
    await running(c, job.id);
    assert.equal((await c.cancel(job.id)).cancel_requested, true);
    const { cancelled, reason } = await observed.promise;
    assert.equal(cancelled, true);
    assert.ok(reason instanceof JobAbortedError);
    assert.equal(reason.reason, "cancelled");
    const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, "cancelled");
  });

  test("stop lets running jobs finish within the grace period and releases the rest with their checkpoint", async () => {
    const c = client();
    const queue = freshQueue("stop");
    const quickMayEnd = gate();
    const slowAborted = gate<unknown>();
    const worker = startWorker({ queues: [queue], concurrency: 2, leaseS: 60 })
      .handle("quick", async () => {
        await quickMayEnd.promise;
        return "finished in time";
      })
      .handle("slow", async (_job, ctx) => {
        await ctx.checkpoint({ frames: 120 });
        await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
        slowAborted.open(ctx.signal.reason);
        throw ctx.signal.reason;
      });
    const quick = await c.enqueue({ type: "quick", queue });
    const slow = await c.enqueue({ type: "slow", queue });
    worker.start();
    await running(c, quick.id);
    await running(c, slow.id);

    const stopping = worker.stop({ graceMs: 1_000 });
    quickMayEnd.open();
    const report = await stopping;
    assert.deepEqual(report, { finished: 1, released: 1 });

    const q = await c.getJob(quick.id);
    assert.equal(q.status, "completed");
    assert.equal(q.result, "finished in time");

    const s = await c.getJob(slow.id);
    assert.equal(s.status, "queued", "released, so another worker may take it");
    assert.equal(s.attempt, 0, "a release does not use up an attempt");
    assert.deepEqual(s.checkpoint, { frames: 120 });
    assert.equal(s.attempts.at(-1)?.outcome, "released");
    const reason = await slowAborted.promise;
    assert.ok(reason instanceof JobAbortedError);
    assert.equal(reason.reason, "shutdown");

    // A stopped worker fetches nothing more.
    const later = await c.enqueue({ type: "quick", queue });
    assert.equal((await c.getJob(later.id)).status, "queued");
    assert.equal(worker.running, 0);
  });

  test("a PermanentError fails the job for good on its first attempt", async () => {
    const c = client();
    const queue = freshQueue("permanent");
    const worker = startWorker({ queues: [queue] })
      .handle("import.csv", () => {
        throw new PermanentError("column 3 is not a date", { code: "bad_input" });
      })
      .handle("import.xml", () => {
        throw Object.assign(new Error("not XML"), { code: "bad_format", retryable: false });
      });
    worker.start();
    const csv = await c.enqueue({ type: "import.csv", queue, max_attempts: 3 });
    const xml = await c.enqueue({ type: "import.xml", queue, max_attempts: 3 });
    for (const [job, code, message] of [
      [csv, "bad_input", "column 3 is not a date"],
      [xml, "bad_format", "not XML"],
    ] as const) {
      const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
      assert.equal(done.status, "failed");
      assert.equal(done.attempt, 1);
      assert.equal(done.max_attempts, 3);
      assert.deepEqual(done.error, { code, message, retryable: false });
    }
  });

  test("jobs that end together are completed together, each with its own result, the deepest the server allows too", async () => {
    const c = client();
    const queue = freshQueue("together");
    const release = gate();
    // Nested as deeply as json_max_depth (64) allows a complete body: too deep inside a batch's
    // two extra levels, so these go one per request after the batch is refused.
    let deep: unknown = {};
    for (let i = 0; i < 62; i += 1) deep = { a: deep };
    startWorker({ queues: [queue], concurrency: 8 })
      .handle("render", async (job) => {
        await release.promise;
        return (job.payload as { deep: boolean }).deep ? deep : { page: (job.payload as { page: number }).page };
      })
      .start();
    const shallow = await Promise.all([1, 2, 3, 4, 5, 6].map((page) => c.enqueue({ type: "render", queue, payload: { page } })));
    const deeper = await Promise.all([1, 2].map(() => c.enqueue({ type: "render", queue, payload: { deep: true } })));
    await waitFor("all eight jobs to run", async () => (await c.listJobs({ queue, status: "running" })).jobs.length === 8);
    release.open();
    for (const [i, job] of shallow.entries()) {
      const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
      assert.equal(done.status, "completed");
      assert.deepEqual(done.result, { page: i + 1 });
    }
    for (const job of deeper) {
      const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
      assert.equal(done.status, "completed");
      assert.deepEqual(done.result, deep);
    }
  });

  test("a job of a type without a handler fails retryably with code no_handler", async () => {
    const c = client();
    const queue = freshQueue("no-handler");
    startWorker({ queues: [queue] }).handle("known", () => "ok").start();
    const job = await c.enqueue({ type: "unknown", queue, max_attempts: 1 });
    const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, "failed");
    assert.equal(done.error?.code, "no_handler");
    assert.equal(done.error?.retryable, true);
  });

  test("a lost lease aborts that job's handler, and the worker goes on with the next attempt", async () => {
    const c = client();
    const queue = freshQueue("stale");
    const expired = gate();
    const firstAttempt = gate<{ report: unknown; reason: unknown }>();
    // Heartbeats far apart on a 1 s lease: the first attempt's lease runs out while it works.
    const worker = startWorker({ queues: [queue], concurrency: 2, leaseS: 1, heartbeatIntervalMs: 600_000 }).handle(
      "sync",
      async (job, ctx) => {
        if (job.attempt > 1) return "second attempt";
        await expired.promise;
        const report = await ctx.progress({ percent: 90 }, { now: true }).catch((e: unknown) => e);
        firstAttempt.open({ report, reason: ctx.signal.reason });
        return "too late";
      },
    );
    worker.start();
    const job = await c.enqueue({ type: "sync", queue, backoff: { initial_s: 0 } });
    await waitFor("the first lease to expire", async () => (await c.getJob(job.id)).attempts[0]?.outcome === "lease_expired");
    expired.open();
    const { report, reason } = await firstAttempt.promise;
    assert.ok(report instanceof StaleLeaseError, String(report));
    assert.ok(reason instanceof JobAbortedError);
    assert.equal(reason.reason, "lease_lost");
    const done = await c.waitForJob(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, "completed");
    assert.equal(done.result, "second attempt", "the late first attempt reported nothing");
    assert.deepEqual(done.attempts.map((a) => a.outcome), ["lease_expired", "completed"]);
  });
});
