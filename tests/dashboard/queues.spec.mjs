// Queues: counts by state, and pausing a queue from the view stops fetches until it resumes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

test("pausing a queue from the Queues view stops fetches, and resuming starts them again", async () => {
  const page = await openPage(env.browser);
  await env.corral.enqueue({ type: "report.build", queue: "reports" });
  await env.corral.enqueue({ type: "report.build", queue: "reports" });
  await env.corral.enqueue({ type: "email.send", queue: "mail" });
  await page.goto(`${env.corral.url}/queues`);
  const reports = page.locator('tr[data-queue="reports"]');
  await reports.waitFor();
  assert.equal(await reports.locator('td[data-state="queued"]').innerText(), "2");

  await page.getByRole("button", { name: "Pause queue reports" }).click();
  await reports.getByText("Paused").waitFor();
  assert.deepEqual(await env.corral.fetchJobs("reports"), [], "a paused queue hands out nothing");
  assert.equal((await env.corral.fetchJobs("mail")).length, 1, "other queues go on");
  await screenshot(page, "queues");
  await expectAccessible(page, "the queues view");

  await page.getByRole("button", { name: "Resume queue reports" }).click();
  await reports.getByText("Active").waitFor();
  assert.equal((await env.corral.fetchJobs("reports")).length, 1);
  await reports.locator('td[data-state="running"]').getByText("1").waitFor();
  assert.deepEqual(page.errors, []);
});
