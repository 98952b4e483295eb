// The Jobs list: live without a reload, filters in the URL, and a deep link to a job.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

test("a newly enqueued job appears in the list without a reload", async () => {
  const page = await openPage(env.browser);
  await env.corral.enqueue({ type: "report.build", queue: "reports" });
  await page.goto(`${env.corral.url}/jobs`);
  await page.locator("table.jobs tbody tr").first().waitFor();
  await page.evaluate(() => (window.notReloaded = true));

  const job = await env.corral.enqueue({ type: "email.send", queue: "mail", payload: { to: "ana@example.com" } });
  await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
  assert.match(await page.locator(`tr[data-job-id="${job.id}"]`).innerText(), /Queued[\s\S]*email\.send/);
  await screenshot(page, "jobs");
  await expectAccessible(page, "the jobs list");
  assert.deepEqual(page.errors, []);
});

test("a new job appears in a filtered list when it matches the filter, and only then", async () => {
  const page = await openPage(env.browser);
  await env.corral.enqueue({ type: "digest.send", queue: "digests" });
  await page.goto(`${env.corral.url}/jobs?status=queued&queue=digests`);
  await page.getByTestId("jobs-total").getByText("1 job matches").waitFor();

  const elsewhere = await env.corral.enqueue({ type: "digest.send", queue: "mail" });
  const matching = await env.corral.enqueue({ type: "digest.send", queue: "digests" });
  await page.locator(`tr[data-job-id="${matching.id}"]`).waitFor();
  await page.getByTestId("jobs-total").getByText("2 jobs match").waitFor();
  assert.equal(await page.locator(`tr[data-job-id="${elsewhere.id}"]`).count(), 0);
  await screenshot(page, "jobs-filtered-live");
  assert.deepEqual(page.errors, []);
});

test("a deep link with filters opens the filtered list, and a job's link opens its view", async () => {
  const page = await openPage(env.browser);
  const job = await env.corral.enqueue({ type: "thumb.make", queue: "images" });
  await page.goto(`${env.corral.url}/jobs?queue=images`);
  await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
  assert.equal(await page.locator("table.jobs tbody tr").count(), 1, "only the images queue's job");
  assert.equal(await page.locator('input[name="queue"]').inputValue(), "images");
  await screenshot(page, "jobs-deep-link");

  await page.goto(`${env.corral.url}/jobs/${job.id}`);
  await page.getByRole("heading", { name: /thumb\.make/ }).waitFor();
  await page.getByText(job.id, { exact: true }).first().waitFor();
  assert.equal(await page.locator(".badge").first().getAttribute("data-status"), "queued");
  await screenshot(page, "job-deep-link");
  assert.deepEqual(page.errors, []);
});
