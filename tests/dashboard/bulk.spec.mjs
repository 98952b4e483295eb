// The Jobs view's filters, total, paging and bulk actions, and the dead letter's per-group
// actions, against the server's list filters and POST /api/v1/jobs/bulk.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

const rowIds = (page) => page.locator("table.jobs tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.jobId));

test("bulk retry of a filter changes exactly the matching jobs, after saying how many it will", async () => {
  const page = await openPage(env.browser);
  const matching = await env.corral.failedJobs("mail", 3, "smtp_refused", "the mail server refused the recipient");
  const otherCode = await env.corral.failedJobs("mail", 2, "dns_timeout");
  const otherQueue = await env.corral.failedJobs("digest", 2, "smtp_refused");
  const notFailed = (await env.corral.enqueue({ type: "t", queue: "mail" })).id;

  await page.goto(`${env.corral.url}/jobs?status=failed&queue=mail&error_code=smtp_refused`);
  await page.getByTestId("jobs-total").getByText("3 jobs match").waitFor();
  assert.deepEqual((await rowIds(page)).sort(), [...matching].sort());

  await page.getByRole("button", { name: "Retry all matching…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm" });
  await confirm.getByText("Retry the 3 jobs matching the filter?").waitFor();
  await screenshot(page, "jobs-bulk-confirm");
  await expectAccessible(page, "the bulk confirmation");
  for (const id of matching) assert.equal(await env.corral.statusOf(id), "failed", "nothing changes before the confirmation");

  await confirm.getByRole("button", { name: "Retry 3 jobs" }).click();
  await page.getByText("Retried 3 jobs.").waitFor();
  for (const id of matching) assert.equal(await env.corral.statusOf(id), "queued");
  for (const id of [...otherCode, ...otherQueue]) assert.equal(await env.corral.statusOf(id), "failed");
  assert.equal(await env.corral.statusOf(notFailed), "queued");
  await page.getByText("No job matches these filters.").waitFor();
  await screenshot(page, "jobs-bulk-done");
  assert.deepEqual(page.errors, []);
});

test("the error and time filters narrow the list and go into the URL", async () => {
  const page = await openPage(env.browser);
  const quota = await env.corral.failedJobs("upload", 2, "quota_exceeded", "Storage quota exceeded for user 42");
  const network = await env.corral.failedJobs("upload", 1, "network", "connection reset by peer");
  await page.goto(`${env.corral.url}/jobs?queue=upload`);
  await page.getByTestId("jobs-total").getByText("3 jobs match").waitFor();

  await page.getByLabel("Error code").fill("quota_exceeded");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.waitForURL(/error_code=quota_exceeded/);
  await page.getByTestId("jobs-total").getByText("2 jobs match").waitFor();
  assert.deepEqual((await rowIds(page)).sort(), [...quota].sort());

  await page.getByLabel("Error code").fill("");
  await page.getByLabel("Error text contains").fill("RESET BY");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByTestId("jobs-total").getByText("1 job matches").waitFor();
  assert.deepEqual(await rowIds(page), network);
  assert.match(page.url(), /queue=upload&error_text=RESET\+BY/);
  await screenshot(page, "jobs-filtered");
  await expectAccessible(page, "the filtered jobs list");

  await page.getByLabel("Created before (UTC)").fill("2000-01-01T00:00");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByText("No job matches these filters.").waitFor();
  assert.match(page.url(), /created_before=2000-01-01T00%3A00%3A00Z/);
  assert.deepEqual(page.errors, []);
});

test("chosen jobs are cancelled together, and only they", async () => {
  const page = await openPage(env.browser);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push((await env.corral.enqueue({ type: "resize", queue: "thumbs" })).id);
  await page.goto(`${env.corral.url}/jobs?queue=thumbs`);
  await page.locator(`tr[data-job-id="${ids[0]}"]`).waitFor();

  await page.getByLabel(`Select ${ids[0]}`).check();
  await page.getByLabel(`Select ${ids[2]}`).check();
  await page.getByRole("button", { name: "Cancel 2 selected…" }).click();
  const confirm = page.getByRole("group", { name: "Confirm" });
  await confirm.getByText("Cancel the 2 jobs selected?").waitFor();
  await confirm.getByRole("button", { name: "Cancel 2 jobs" }).click();
  await page.getByText("Cancelled 2 jobs.").waitFor();
  assert.deepEqual(await Promise.all(ids.map((id) => env.corral.statusOf(id))), ["cancelled", "queued", "cancelled"]);
  await page.locator(`tr[data-job-id="${ids[2]}"] .badge[data-status="cancelled"]`).waitFor();
  await screenshot(page, "jobs-selected-cancelled");
  assert.deepEqual(page.errors, []);
});

test("a dead-letter group's retry-all requeues its jobs and no others", async () => {
  const page = await openPage(env.browser);
  const pdf = await env.corral.failedJobs("render", 2, "pdf_corrupt", "the PDF could not be parsed");
  const fonts = await env.corral.failedJobs("render", 1, "font_missing");
  await page.goto(`${env.corral.url}/dead-letter`);
  const group = page.locator('[data-error-group="pdf_corrupt"]');
  await group.locator(`tr[data-job-id="${pdf[1]}"]`).waitFor();
  await group.getByTestId("group-total").getByText("2 jobs").waitFor();
  await screenshot(page, "dead-letter-groups");
  await expectAccessible(page, "the dead letter");

  await group.getByRole("button", { name: "Retry all in this group…" }).click();
  await group.getByText("Retry the 2 jobs failed with pdf_corrupt?").waitFor();
  await group.getByRole("button", { name: "Retry 2 jobs" }).click();
  await page.getByRole("status").getByText("pdf_corrupt: Retried 2 jobs.").waitFor();
  await page.locator('[data-error-group="pdf_corrupt"]').waitFor({ state: "detached" });
  for (const id of pdf) assert.equal(await env.corral.statusOf(id), "queued");
  for (const id of fonts) assert.equal(await env.corral.statusOf(id), "failed");
  await page.locator('[data-error-group="font_missing"]').waitFor();
  assert.deepEqual(page.errors, []);
});

test("an error on the overview links to the jobs with that error", async () => {
  const page = await openPage(env.browser);
  const ids = await env.corral.failedJobs("billing", 1, "card_declined", "the card was declined");
  await page.goto(`${env.corral.url}/`);
  await page.getByRole("link", { name: "card_declined" }).click();
  await page.waitForURL(/\/jobs\?error_code=card_declined$/);
  await page.locator(`tr[data-job-id="${ids[0]}"]`).waitFor();
  assert.equal(await page.getByLabel("Error code").inputValue(), "card_declined");
  await screenshot(page, "jobs-by-error-code");
  assert.deepEqual(page.errors, []);
});

test("pages follow each other by cursor, forwards and back, oldest first when asked", async () => {
  const page = await openPage(env.browser);
  const ids = [];
  for (let i = 0; i < 55; i++) ids.push((await env.corral.enqueue({ type: "t", queue: "paging" })).id);
  await page.goto(`${env.corral.url}/jobs?queue=paging&sort=oldest`);
  await page.getByText("Jobs 1–50").waitFor();
  assert.equal(await page.getByLabel("Sort").inputValue(), "oldest");
  assert.deepEqual(await rowIds(page), ids.slice(0, 50));

  await page.getByRole("link", { name: "Next page" }).click();
  await page.getByText("Jobs 51–55").waitFor();
  assert.deepEqual(await rowIds(page), ids.slice(50));
  assert.equal(await page.getByRole("link", { name: "Next page" }).count(), 0);
  await page.getByTestId("jobs-total").getByText("55 jobs match").waitFor();

  await screenshot(page, "jobs-second-page");

  await page.getByRole("link", { name: "Previous page" }).click();
  await page.getByText("Jobs 1–50").waitFor();
  assert.deepEqual(await rowIds(page), ids.slice(0, 50));
  assert.deepEqual(page.errors, []);
});
