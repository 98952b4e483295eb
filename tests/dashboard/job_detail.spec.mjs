// Job detail: progress and the declared stages live while a worker heartbeats, a failure's error
// in the attempt history, and retry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser('[job_types."video.encode"]\nstages = ["download", "encode", "upload"]\n');

test("the job detail shows progress advancing and stages checking off while a worker heartbeats", async () => {
  const page = await openPage(env.browser);
  const job = await env.corral.enqueue({ type: "video.encode", queue: "video", payload: { file: "talk.mp4" } });
  await page.goto(`${env.corral.url}/jobs/${job.id}`);
  await page.getByText("no progress reported").waitFor();

  const [leased] = await env.corral.fetchJobs("video", "encoder-7");
  const percent = page.getByTestId("progress-percent");
  await page.locator('.badge[data-status="running"]').waitFor();
  const stages = page.getByRole("list", { name: "Stages" });
  const stageNames = ["download", "encode", "upload"];
  assert.equal(await stages.locator("li.stage-pending").count(), 3, "every declared stage, none begun");
  for (const [i, [p, stage]] of [[20, "download"], [55, "encode"], [90, "upload"]].entries()) {
    await env.corral.heartbeat(leased, { percent: p, stage, message: `${stage} in progress` });
    await page.getByText(`${p} %`, { exact: true }).waitFor();
    await stages.locator("li.stage-running", { hasText: stage }).waitFor();
    assert.equal(await page.getByTestId("progress-stage").innerText(), stage);
    for (const done of stageNames.slice(0, i)) await stages.locator("li.stage-done", { hasText: done }).waitFor();
  }
  assert.equal(await page.getByRole("progressbar").getAttribute("aria-valuenow"), "90");
  assert.equal(await percent.innerText(), "90 %");
  await screenshot(page, "job-running");
  await expectAccessible(page, "a running job");
  assert.deepEqual(page.errors, []);
});

test("a failing job shows its error in the attempt history, and retry requeues it", async () => {
  const page = await openPage(env.browser);
  const job = await env.corral.enqueue({ type: "email.send", queue: "mail", max_attempts: 1 });
  const [leased] = await env.corral.fetchJobs("mail", "mailer-2");
  await page.goto(`${env.corral.url}/jobs/${job.id}`);
  await page.locator('.badge[data-status="running"]').waitFor();

  await env.corral.fail(leased, "smtp_refused", "the mail server refused the recipient");
  await page.locator('h1 .badge[data-status="failed"]').waitFor();
  const attempts = page.locator("table.attempts tbody tr");
  await attempts.filter({ hasText: "smtp_refused" }).waitFor();
  const row = await attempts.first().innerText();
  assert.match(row, /mailer-2/);
  assert.match(row, /failed/);
  assert.match(row, /the mail server refused the recipient/);
  await screenshot(page, "job-failed");

  await page.getByRole("button", { name: "Retry job" }).click();
  await page.locator('h1 .badge[data-status="queued"]').waitFor();
  const now = await env.corral.expect(200, "GET", `/api/v1/jobs/${job.id}`);
  assert.equal(now.status, "queued");
  assert.equal(now.attempt, 0);
  assert.match(await attempts.first().innerText(), /smtp_refused/, "the history is kept");
  assert.deepEqual(page.errors, []);
});
