// The README's web back end example, run as written (compiled from README.md by run_tests.sh)
// in front of the real server: it enqueues and answers with the id, and a Client pointed at it,
// as the README's browser page is, follows the job through its pass-through routes.

import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { Client, Worker, type WatchEvent } from "@corral/client";
import { corralServer, gate, spawnListening } from "./support.js";

const env = corralServer();
const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "readme-js");
let backend: ChildProcess | undefined;
let backendUrl = "";

describe("the README's web back end", () => {
  // Inside the suite, so that they run after the file's server has started.
  before(async () => {
    const file = readdirSync(examples).find((f) => readFileSync(join(examples, f), "utf8").includes("createServer("));
    assert.ok(file, "the README has a web back end example");
    const started = await spawnListening(process.execPath, [join(examples, file)], {
      ...process.env,
      CORRAL_URL: env.corral.url,
      PORT: "0",
    });
    backend = started.child;
    backendUrl = started.url;
  });

  after(async () => {
    if (!backend || backend.exitCode !== null) return;
    const exited = new Promise((resolve) => backend?.on("exit", resolve));
    backend.kill("SIGTERM");
    await exited;
  });

  test("enqueues, answers with the id, and lets a page follow the job to its end", async () => {
    const finish = gate();
    const worker = new Worker({ url: env.corral.url, queues: ["reports"], waitS: 5 }).handle(
      "report.build",
      async (job, ctx) => {
        await ctx.progress({ percent: 30, stage: "render" }, { now: true });
        await finish.promise;
        return { url: `/reports/${(job.payload as { report: number }).report}.pdf` };
      },
    );
    worker.start();
    try {
      const reply = await fetch(`${backendUrl}/reports`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ report: 42 }),
      });
      assert.equal(reply.status, 202);
      const { id } = (await reply.json()) as { id: string };

      // The page's view: the same origin as the back end.
      const page = new Client({ url: backendUrl });
      const events: WatchEvent[] = [];
      const sawProgress = gate();
      const watching = page.watchJob(id, {
        timeoutMs: 15_000,
        onEvent: (e) => {
          events.push(e);
          const progress = e.type === "job" ? e.job.progress : e.type === "event" ? e.event.progress : undefined;
          if (progress?.percent === 30) sawProgress.open();
        },
      });
      await sawProgress.promise;
      finish.open();
      const done = await watching;
      assert.equal(done.status, "completed");
      assert.deepEqual(done.result, { url: "/reports/42.pdf" });
      const last = events.at(-1);
      assert.equal(last?.type === "event" ? last.event.kind : last?.type, "completed");
      assert.deepEqual(await page.waitForJob(id, { timeoutMs: 5_000 }), done, "the long-poll passes through too");
    } finally {
      await worker.stop({ graceMs: 0 });
    }
  });

  test("refuses other routes with a JSON error", async () => {
    const reply = await fetch(`${backendUrl}/api/v1/fetch`, { method: "POST" });
    assert.equal(reply.status, 404);
    assert.equal(((await reply.json()) as { error: { code: string } }).error.code, "not_found");
  });
});
