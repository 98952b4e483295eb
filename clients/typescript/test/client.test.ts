// Client against the real server: the calls a producer and a dashboard make, the typed errors,
// and waitForJob's long-poll.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Client,
  CorralError,
  InvalidArgumentError,
  NotFoundError,
  TimeoutError,
  WrongStateError,
  type Job,
} from "@corral/client";
import { corralServer, freshQueue } from "./support.js";

const env = corralServer();
const client = () => new Client({ url: env.corral.url });

describe("Client", () => {
  test("enqueue, get, list, cancel, retry and delete round trip", async () => {
    const c = client();
    const queue = freshQueue("round-trip");
    const job = await c.enqueue({ type: "report.build", queue, payload: { report: 42 }, priority: "high", max_attempts: 5 });
    assert.equal(job.status, "queued");
    assert.equal(job.priority, 10);
    assert.deepEqual(job.payload, { report: 42 });

    const got = await c.getJob(job.id);
    assert.equal(got.id, job.id);
    assert.equal(got.max_attempts, 5);

    const page = await c.listJobs({ queue });
    assert.deepEqual(page.jobs.map((j) => j.id), [job.id]);
    assert.equal(page.next_cursor, undefined);

    const cancelled = await c.cancel(job.id);
    assert.equal(cancelled.status, "cancelled");
    const retried = await c.retry(job.id);
    assert.equal(retried.status, "queued");
    assert.equal(retried.attempt, 0);

    await c.cancel(job.id);
    await c.deleteJob(job.id);
    await assert.rejects(c.getJob(job.id), NotFoundError);
  });

  test("enqueueBatch returns the jobs in request order, and iterateJobs pages through them all", async () => {
    const c = client();
    const queue = freshQueue("batch");
    const jobs = await c.enqueueBatch(
      Array.from({ length: 7 }, (_, i) => ({ type: "thumb.make", queue, payload: { image: `${i}.png` } })),
    );
    assert.deepEqual(
      jobs.map((j) => j.payload),
      Array.from({ length: 7 }, (_, i) => ({ image: `${i}.png` })),
    );

    const first = await c.listJobs({ queue, limit: 3 });
    assert.equal(first.jobs.length, 3);
    assert.ok(first.next_cursor, "a first page of 3 out of 7 has a cursor");

    const seen: Job[] = [];
    for await (const job of c.iterateJobs({ queue, limit: 3 })) seen.push(job);
    // Newest first, each job once.
    assert.deepEqual(seen.map((j) => j.id), jobs.map((j) => j.id).reverse());
  });

  test("enqueueBatchRefs answers each job with its id and status only, in request order", async () => {
    const c = client();
    const queue = freshQueue("refs");
    const known = await c.enqueue({ type: "thumb.make", queue, idempotency_key: `${queue}-known` });
    const refs = await c.enqueueBatchRefs([
      { type: "thumb.make", queue, payload: { image: "a.png" } },
      { type: "thumb.make", queue, delay_s: 3600 },
      { type: "thumb.make", queue, idempotency_key: `${queue}-known` },
    ]);
    assert.deepEqual(refs.map((r) => Object.keys(r).sort()), [["id", "status"], ["id", "status"], ["id", "status"]]);
    assert.deepEqual(refs.map((r) => r.status), ["queued", "scheduled", "queued"]);
    assert.equal(refs[2]?.id, known.id, "a known key names the job it already made");
    const first = await c.getJob(refs[0]?.id ?? "");
    assert.deepEqual(first.payload, { image: "a.png" }, "the jobs were made as asked");
  });

  test("an idempotency key returns the same job", async () => {
    const c = client();
    const queue = freshQueue("idem");
    const a = await c.enqueue({ type: "email.send", queue, idempotency_key: "welcome-ana" });
    const b = await c.enqueue({ type: "email.send", queue, idempotency_key: "welcome-ana" });
    assert.equal(a.id, b.id);
  });

  test("errors carry the server's status and code", async () => {
    const c = client();
    const missing = await c.getJob("job_doesnotexist").catch((e: unknown) => e);
    assert.ok(missing instanceof NotFoundError);
    assert.ok(missing instanceof CorralError);
    assert.equal(missing.status, 404);
    assert.equal(missing.code, "not_found");
    assert.match(missing.message, /job_doesnotexist/);
    assert.ok(missing.requestId, "the reply's X-Request-Id is kept");

    const invalid = await c
      .enqueue({ type: "report.build", priorty: 3 } as unknown as { type: string })
      .catch((e: unknown) => e);
    assert.ok(invalid instanceof InvalidArgumentError);
    assert.equal(invalid.status, 400);
    assert.equal(invalid.code, "invalid_argument");
    assert.match(invalid.message, /priorty/);

    const job = await c.enqueue({ type: "report.build", queue: freshQueue("errors") });
    await c.cancel(job.id);
    const wrong = await c.cancel(job.id).catch((e: unknown) => e);
    assert.ok(wrong instanceof WrongStateError);
    assert.equal(wrong.status, 409);
    assert.equal(wrong.code, "wrong_state");
  });

  test("a connection refused is an UnavailableError with code network_error", async () => {
    // Port 1 on loopback is not served: nothing in the test listens there.
    const c = new Client({ url: "http://127.0.0.1:1" });
    const error = await c.getJob("job_x").catch((e: unknown) => e);
    assert.ok(error instanceof CorralError);
    assert.equal(error.code, "network_error");
    assert.equal(error.status, 0);
    assert.equal(error.retryable, true);
  });

  test("the token goes in an Authorization header on every request", async () => {
    const seen: (string | null)[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers).get("Authorization"));
      return fetch(input, init);
    };
    const c = new Client({ url: env.corral.url, token: "s3cret", fetch: spy });
    const job = await c.enqueue({ type: "report.build", queue: freshQueue("token") });
    await c.getJob(job.id);
    assert.deepEqual(seen, ["Bearer s3cret", "Bearer s3cret"]);
  });

  test("waitForJob returns the job once a worker completes it", async () => {
    const c = client();
    const queue = freshQueue("wait");
    const job = await c.enqueue({ type: "report.build", queue });
    const waiting = c.waitForJob(job.id, { timeoutMs: 15_000 });
    const [leased] = await c.fetchJobs({ queues: [queue], worker_id: "w1", wait_s: 5 });
    assert.ok(leased);
    await c.complete(leased.id, { lease_token: leased.lease_token, result: { url: "/reports/42.pdf" } });
    const done = await waiting;
    assert.equal(done.status, "completed");
    assert.deepEqual(done.result, { url: "/reports/42.pdf" });
  });

  test("waitForJob times out with the job as last seen, waiting on the server instead of polling", async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests += 1;
      return fetch(input, init);
    };
    const c = new Client({ url: env.corral.url, fetch: counting });
    const job = await c.enqueue({ type: "report.build", queue: freshQueue("wait-timeout") });
    requests = 0;
    const error = await c.waitForJob(job.id, { timeoutMs: 1_500 }).catch((e: unknown) => e);
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.code, "timeout");
    assert.equal(error.job?.id, job.id);
    assert.equal(error.job?.status, "queued");
    // One long-poll covers the whole wait; a polling loop would have sent dozens.
    assert.ok(requests <= 2, `${requests} requests for one wait`);
  });

  test("waitForJob stops when its signal aborts", async () => {
    const c = client();
    const job = await c.enqueue({ type: "report.build", queue: freshQueue("wait-abort") });
    const controller = new AbortController();
    const waiting = c.waitForJob(job.id, { signal: controller.signal });
    controller.abort(new Error("user left the page"));
    await assert.rejects(waiting, /user left the page/);
  });
});
