// A key over its rate limit (the server's key_rate_limit_per_s): the refusal is a retryable
// RateLimitedError that says when to come back, and a worker on such a key still runs every job.

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client, RateLimitedError, Worker } from "@corral/client";
import { corralServer, freshQueue, waitFor } from "./support.js";

const kAdminKey = "ts-client-admin-key-0123456789abcdef";
const env = corralServer(["--admin-key", kAdminKey, "--key-rate-limit-per-s", "5", "--key-rate-limit-burst", "5"]);
const admin = () => new Client({ url: env.corral.url, token: kAdminKey });

describe("Rate limits", () => {
  test("a call over the key's limit is a retryable RateLimitedError with Retry-After", async () => {
    const c = admin();
    let refused: unknown;
    for (let i = 0; i < 20 && refused === undefined; i++) {
      refused = await c.listJobs({ limit: 1 }).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    assert.ok(refused instanceof RateLimitedError, `expected a RateLimitedError, got ${String(refused)}`);
    assert.equal(refused.status, 429);
    assert.equal(refused.code, "rate_limited");
    assert.equal(refused.retryable, true);
    assert.ok((refused.retryAfterMs ?? 0) >= 1000, `Retry-After in ms: ${refused.retryAfterMs}`);
  });

  test("a worker on a rate-limited key waits its turn and completes every job", async () => {
    const queue = freshQueue("limited");
    const c = admin();
    const created = await waitFor("a worker key", () =>
      fetch(`${env.corral.url}/api/v1/keys`, {
        method: "POST",
        headers: { Authorization: `Bearer ${kAdminKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ role: "worker", name: "limited worker" }),
      }).then(async (r) => (r.status === 201 ? ((await r.json()) as { key: string }) : undefined)),
    );
    const jobs = await waitFor("the batch enqueued", () =>
      c.enqueueBatch(Array.from({ length: 12 }, (_, n) => ({ type: "t", queue, payload: { n } }))),
    );
    const errors: unknown[] = [];
    const worker = new Worker({ url: env.corral.url, token: created.key, queues: [queue], waitS: 1, onError: (e) => errors.push(e) });
    worker.handle("t", async (job) => ({ n: (job.payload as { n: number }).n }));
    worker.start();
    try {
      await waitFor(
        "every job completed",
        async () => {
          const page = await c.listJobs({ queue, status: "completed", limit: 100 });
          return page.jobs.length === jobs.length;
        },
        60_000,
      );
    } finally {
      await worker.stop({ graceMs: 0 });
    }
    assert.ok(
      errors.every((e) => !(e instanceof Error) || e instanceof RateLimitedError),
      `only rate limits were met: ${errors.map(String).join("; ")}`,
    );
  });
});
