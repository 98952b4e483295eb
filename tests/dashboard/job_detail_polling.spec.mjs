// Job detail on a server that refuses event streams (every one of its max_streams is taken): the
// page long-polls the job instead, and a progress report that lands between two of its polls
// still shows at once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser("max_streams = 0\n");

test("with streams refused, the job detail long-polls and shows a report made between two polls", async () => {
  const page = await openPage(env.browser);
  // The page's first long-poll that waits for a change is held back until the worker has
  // reported: the report lands before that poll reaches the server.
  let held;
  const reachedHold = new Promise((resolve) => (held = resolve));
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(/progress=1/, async (route) => {
    held();
    await released;
    await route.continue();
  });
  const job = await env.corral.enqueue({ type: "video.encode", queue: "video" });
  await page.goto(`${env.corral.url}/jobs/${job.id}`);
  await page.getByText("no progress reported").waitFor();
  await reachedHold;

  const [leased] = await env.corral.fetchJobs("video", "encoder-7");
  await env.corral.heartbeat(leased, { percent: 40, message: "encoding" });
  release();
  await page.getByText("40 %", { exact: true }).waitFor();
  await page.locator('.badge[data-status="running"]').waitFor();

  await env.corral.heartbeat(leased, { percent: 70 });
  await page.getByText("70 %", { exact: true }).waitFor();
  assert.deepEqual(page.errors, []);
});
