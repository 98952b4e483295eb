// The lost-connection banner: shown when the server stops, gone when it is back on the same
// port, without a reload; and the views that have no data yet (overview, dead letter, workers).
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

test("the banner appears when the server stops and goes when it is back, without a reload", async () => {
  const page = await openPage(env.browser);
  await env.corral.enqueue({ type: "report.build", queue: "reports" });
  await page.goto(`${env.corral.url}/jobs`);
  await page.locator("table.jobs tbody tr").first().waitFor();
  await page.evaluate(() => (window.notReloaded = true));
  const banner = page.getByText("Lost connection to the server — retrying…");

  const port = env.corral.port;
  assert.equal(await env.corral.stop(), 0);
  await banner.waitFor({ state: "visible" });
  assert.equal(await page.getByRole("status").filter({ hasText: "Lost connection" }).count(), 1);
  await screenshot(page, "connection-lost");

  await env.corral.start(port);
  await banner.waitFor({ state: "hidden" });
  const job = await env.corral.enqueue({ type: "email.send", queue: "mail" });
  await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
});

test("the overview, dead letter and workers views open from the top bar and are accessible", async () => {
  const page = await openPage(env.browser);
  const failing = await env.corral.enqueue({ type: "pdf.render", queue: "docs", max_attempts: 1 });
  const [leased] = await env.corral.fetchJobs("docs", "renderer-1");
  await env.corral.fail(leased, "font_missing", "font Inter is not installed");
  await env.corral.enqueue({ type: "pdf.render", queue: "docs" });
  await env.corral.fetchJobs("docs", "renderer-2");

  await page.goto(`${env.corral.url}/`);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.getByRole("heading", { name: "Depth by queue" }).waitFor();
  await page.locator("table").first().waitFor();
  await page.getByRole("link", { name: "font_missing" }).waitFor();
  await screenshot(page, "overview");
  await expectAccessible(page, "the overview");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dead letter" }).click();
  await page.getByRole("heading", { name: /font_missing/ }).waitFor();
  await page.locator(`tr[data-job-id="${failing.id}"]`).waitFor();
  await screenshot(page, "dead-letter");
  await expectAccessible(page, "the dead letter");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
  await page.getByRole("rowheader", { name: "renderer-2" }).waitFor();
  await screenshot(page, "workers");
  await expectAccessible(page, "the workers view");
  assert.deepEqual(page.errors, []);
});
