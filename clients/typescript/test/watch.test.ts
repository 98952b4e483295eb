// watchJob against the real server: the event stream in order, resuming after a dropped
// connection without losing or repeating an event, the long-poll fallback when the server
// refuses streams, and the ways a watch gives up.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client, CorralError, NotFoundError, TimeoutError, type LeasedJob, type WatchEvent, type WatchOptions } from "@corral/client";
import { Corral, corralServer, freshQueue, gate, waitFor } from "./support.js";

const env = corralServer();

// Leases the job and reports: started, a progress, then the result.
async function work(c: Client, queue: string): Promise<LeasedJob> {
  const [job] = await c.fetchJobs({ queues: [queue], worker_id: "w1", wait_s: 5 });
  assert.ok(job, "a job to lease");
  await c.heartbeat(job.id, { lease_token: job.lease_token, progress: { percent: 50, stage: "render" } });
  await c.complete(job.id, { lease_token: job.lease_token, result: { pages: 3 } });
  return job;
}

// Starts a watch and resolves once its stream has sent the job as it is now, so that what the
// test does next happens after the watch began.
async function connectedWatch(c: Client, id: string, options: WatchOptions = {}) {
  const events: WatchEvent[] = [];
  const connected = gate();
  const watching = c.watchJob(id, {
    timeoutMs: 15_000,
    ...options,
    onEvent: (e) => {
      events.push(e);
      if (e.type === "job") connected.open();
    },
  });
  await Promise.race([connected.promise, watching]);
  return { events, watching };
}

const kinds = (events: WatchEvent[]) =>
  events.map((e) => (e.type === "event" ? e.event.kind : e.type)).filter((k) => k !== "heartbeat");

describe("watchJob", () => {
  test("sees enqueued, started, progress and completed in order, and resolves with the ended job", async () => {
    const c = new Client({ url: env.corral.url });
    const queue = freshQueue("watch");
    const job = await c.enqueue({ type: "report.build", queue });
    const events: WatchEvent[] = [];
    // From event 0: every event of the job the server still keeps, its enqueue included.
    const watching = c.watchJob(job.id, { lastEventId: "0", onEvent: (e) => events.push(e), timeoutMs: 15_000 });
    await work(c, queue);
    const ended = await watching;
    assert.equal(ended.status, "completed");
    assert.deepEqual(ended.result, { pages: 3 });
    assert.deepEqual(kinds(events), ["enqueued", "started", "progress", "completed"]);
    const progress = events.find((e) => e.type === "event" && e.event.kind === "progress");
    assert.equal(progress?.type === "event" && progress.event.progress?.percent, 50);
  });

  test("starts with the job as it is now when not resuming", async () => {
    const c = new Client({ url: env.corral.url });
    const queue = freshQueue("watch-now");
    const job = await c.enqueue({ type: "report.build", queue });
    const { events, watching } = await connectedWatch(c, job.id);
    await work(c, queue);
    await watching;
    assert.deepEqual(kinds(events), ["job", "started", "progress", "completed"]);
    assert.equal(events[0]?.type === "job" && events[0].job.status, "queued");
  });

  test("resumes a dropped stream with Last-Event-ID, missing and repeating nothing", async () => {
    const decoder = new TextDecoder();
    const lastEventIds: (string | null)[] = [];
    let cut = false;
    // Fault injection between client and server: the first stream breaks once it has carried
    // the `started` event, as a connection reset would.
    const flaky: typeof fetch = async (input, init) => {
      const reply = await fetch(input, init);
      if (!String(input).endsWith("/events") || !reply.body) return reply;
      lastEventIds.push(new Headers(init?.headers).get("Last-Event-ID"));
      if (cut) return reply;
      let seen = "";
      const body = reply.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            controller.enqueue(chunk);
            seen += decoder.decode(chunk, { stream: true });
            if (!cut && seen.includes("event: started")) {
              cut = true;
              controller.error(new TypeError("connection reset"));
            }
          },
        }),
      );
      return new Response(body, { status: reply.status, headers: reply.headers });
    };
    const c = new Client({ url: env.corral.url, fetch: flaky });
    const queue = freshQueue("watch-resume");
    const job = await c.enqueue({ type: "report.build", queue });
    const { events, watching } = await connectedWatch(c, job.id, { backoff: { initialMs: 10, maxMs: 50 } });
    await work(c, queue);
    assert.equal((await watching).status, "completed");
    assert.ok(cut, "the first stream was cut");
    assert.equal(lastEventIds.length, 2, "one reconnect");
    assert.equal(lastEventIds[0], null);
    assert.match(lastEventIds[1] ?? "", /^\d+$/, "the reconnect resumes from the last event id");
    assert.deepEqual(kinds(events), ["job", "started", "progress", "completed"]);
    const seqs = events.flatMap((e) => (e.type === "event" ? [e.event.seq] : []));
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), "each event once, in order");
  });

  test("falls back to long-polls when the server refuses streams", async () => {
    const corral = await new Corral().start(["--max-streams", "0"]);
    try {
      // The watch's first long-poll that waits for a change is held back until the test has
      // reported progress: the report lands between two polls, where a follower most often
      // misses one. The poll after it must still answer with it at once.
      const held = gate();
      const release = gate();
      const holding: typeof fetch = async (input, init) => {
        if (String(input).includes("progress=1")) {
          held.open();
          await release.promise;
        }
        return fetch(input, init);
      };
      const c = new Client({ url: corral.url, fetch: holding });
      const queue = freshQueue("watch-poll");
      const job = await c.enqueue({ type: "report.build", queue });
      const events: WatchEvent[] = [];
      const watching = c.watchJob(job.id, { onEvent: (e) => events.push(e), timeoutMs: 15_000 });
      await Promise.race([held.promise, watching]);
      assert.equal(events[0]?.type === "job" && events[0].job.status, "queued", "the job as it was first");
      const [leased] = await c.fetchJobs({ queues: [queue], worker_id: "w1", wait_s: 5 });
      assert.ok(leased);
      await c.heartbeat(leased.id, { lease_token: leased.lease_token, progress: { percent: 50 } });
      release.open();
      await waitFor("the progress to reach the watch", () =>
        events.some((e) => e.type === "job" && e.job.progress?.percent === 50),
      );
      await c.complete(leased.id, { lease_token: leased.lease_token, result: "done" });
      const ended = await watching;
      assert.equal(ended.status, "completed");
      assert.ok(events.every((e) => e.type === "job"), "long-poll replies arrive as job events");
      assert.equal(ended.result, "done");
    } finally {
      assert.equal(await corral.stop(), 0);
      corral.dispose();
    }
  });

  test("rejects with a TimeoutError when the job does not end in time", async () => {
    const c = new Client({ url: env.corral.url });
    const job = await c.enqueue({ type: "report.build", queue: freshQueue("watch-timeout") });
    const error = await c.watchJob(job.id, { timeoutMs: 300 }).catch((e: unknown) => e);
    assert.ok(error instanceof TimeoutError, String(error));
  });

  test("rejects at once for an unknown job", async () => {
    const c = new Client({ url: env.corral.url });
    await assert.rejects(c.watchJob("job_doesnotexist", { timeoutMs: 15_000 }), NotFoundError);
  });

  test("gives up after the set number of failed connections in a row", async () => {
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts += 1;
      return fetch(input, init);
    };
    // Port 1 on loopback is not served: every connection is refused.
    const c = new Client({ url: "http://127.0.0.1:1", fetch: counting });
    const error = await c
      .watchJob("job_x", { maxConsecutiveErrors: 3, backoff: { initialMs: 5, maxMs: 20 } })
      .catch((e: unknown) => e);
    assert.ok(error instanceof CorralError);
    assert.equal(error.code, "network_error");
    assert.equal(attempts, 3);
  });
});

describe("watchJob on a quiet stream", () => {
  test("keep-alives hold the stream open past the idle limit", async () => {
    const corral = await new Corral().start(["--stream-keepalive-s", "0.05"]);
    try {
      let streams = 0;
      let chunks = 0;
      const counting: typeof fetch = async (input, init) => {
        const reply = await fetch(input, init);
        if (!String(input).endsWith("/events") || !reply.body) return reply;
        streams += 1;
        const body = reply.body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              chunks += 1;
              controller.enqueue(chunk);
            },
          }),
        );
        return new Response(body, { status: reply.status, headers: reply.headers });
      };
      const c = new Client({ url: corral.url, fetch: counting });
      const queue = freshQueue("watch-quiet");
      const job = await c.enqueue({ type: "report.build", queue });
      const watching = c.watchJob(job.id, { idleTimeoutMs: 300 });
      // Forty keep-alives at 50 ms apart outlast the 300 ms idle limit several times over.
      await waitFor("keep-alives on the stream", () => chunks >= 40);
      assert.equal(streams, 1, "the stream was never presumed dead");
      await c.cancel(job.id);
      assert.equal((await watching).status, "cancelled");
    } finally {
      assert.equal(await corral.stop(), 0);
      corral.dispose();
    }
  });
});
