// Dependencies and batches on the job page: a waiting child shows its parents and how many are
// left, live as they end through the API; a batch's end job shows the batch's counts, and its
// cancel by a failed parent (parent_failed) as its error.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

// Fetches the next ready job of `queue` and completes it with `result`; the leased job.
async function completeNext(queue, result) {
  const [job] = await env.corral.fetchJobs(queue);
  assert.ok(job, `a job of ${queue} is ready`);
  await env.corral.expect(200, "POST", `/api/v1/jobs/${job.id}/complete`, { lease_token: job.lease_token, result });
  return job;
}

test("a waiting child shows its parents, and turns queued with each parent's end as they complete", async () => {
  const page = await openPage(env.browser);
  const a = await env.corral.enqueue({ type: "extract", queue: "etl", payload: { part: 1 } });
  const b = await env.corral.enqueue({ type: "extract", queue: "etl", payload: { part: 2 } });
  const child = await env.corral.enqueue({ type: "load", queue: "loads", depends_on: [a.id, b.id] });
  await page.goto(`${env.corral.url}/jobs/${child.id}`);

  await page.locator('h1 .badge[data-status="waiting"]').waitFor();
  assert.match(await page.locator("h1 .badge").innerText(), /Waiting/);
  const summary = page.getByTestId("parents-summary");
  await summary.getByText("Waiting for 2 of 2 parents to end.").waitFor();
  const parents = page.getByRole("list", { name: "Parents" });
  for (const parent of [a, b]) {
    assert.equal(await parents.getByRole("link", { name: parent.id }).getAttribute("href"), `/jobs/${parent.id}`);
  }
  await screenshot(page, "job-waiting");
  await expectAccessible(page, "a waiting job");

  await completeNext("etl", { rows: 10 });
  await summary.getByText("Waiting for 1 of 2 parents to end.").waitFor();
  assert.equal(await page.locator("h1 .badge").getAttribute("data-status"), "waiting");

  await completeNext("etl", { rows: 20 });
  await page.locator('h1 .badge[data-status="queued"]').waitFor();
  await summary.getByText("All 2 parents ended.").waitFor();
  for (const parent of [a, b]) {
    await parents.locator(`li[data-parent-id="${parent.id}"] .badge[data-status="completed"]`).waitFor();
  }
  await screenshot(page, "job-parents-ended");

  // A queued job of a paused queue says why it is not running.
  await env.corral.expect(200, "POST", "/api/v1/queues/loads/pause");
  await page.reload();
  await page.getByTestId("not-ready").getByText("Not running yet: queue loads is paused.").waitFor();

  // A parent's link opens its page.
  await parents.getByRole("link", { name: a.id }).click();
  await page.waitForURL(`**/jobs/${a.id}`);
  await page.locator('h1 .badge[data-status="completed"]').waitFor();
  assert.deepEqual(page.errors, []);
});

test("a batch's on_success job shows the batch's counts, and its cancel by a cancelled member as parent_failed", async () => {
  const page = await openPage(env.browser);
  const reply = await env.corral.expect(201, "POST", "/api/v1/jobs/batch", {
    jobs: [
      { type: "row.import", queue: "rows", payload: { row: 1 } },
      { type: "row.import", queue: "rows", payload: { row: 2 } },
    ],
    batch: { id: "import-7", on_success: { type: "import.report", queue: "reports" }, on_complete: { type: "import.cleanup", queue: "reports" } },
  });
  const onSuccess = reply.batch.on_success;
  await page.goto(`${env.corral.url}/jobs/${onSuccess.id}`);
  await page.locator('h1 .badge[data-status="waiting"]').waitFor();
  const batch = page.getByTestId("batch");
  await batch.getByText("import-7").waitFor();
  await batch.getByText("Active: 0 of 2 jobs completed so far.").waitFor();
  await batch.getByRole("list", { name: "Batch jobs by state" }).getByText("Queued: 2").waitFor();

  const done = await completeNext("rows", "ok");
  await batch.getByText("Active: 1 of 2 jobs completed so far.").waitFor();
  const other = reply.jobs.find((j) => j.id !== done.id);
  await env.corral.expect(200, "POST", `/api/v1/jobs/${other.id}/cancel`);

  await page.locator('h1 .badge[data-status="cancelled"]').waitFor();
  await page.locator(".error-text").getByText("parent_failed").waitFor();
  await batch.getByText("Failed: 1 of 2 jobs completed; the others failed or were cancelled.").waitFor();
  await screenshot(page, "job-parent-failed");
  await expectAccessible(page, "a job cancelled by its parent");

  // The on_complete job runs however the batch ended, and shows how each member ended.
  await page.goto(`${env.corral.url}/jobs/${reply.batch.on_complete.id}`);
  await page.locator('h1 .badge[data-status="queued"]').waitFor();
  const parents = page.getByRole("list", { name: "Parents" });
  await parents.locator(`li[data-parent-id="${done.id}"] .badge[data-status="completed"]`).waitFor();
  await parents.locator(`li[data-parent-id="${other.id}"] .badge[data-status="cancelled"]`).waitFor();
  assert.equal(await env.corral.statusOf(onSuccess.id), "cancelled");
  assert.deepEqual(page.errors, []);
});
