// What every browser test of the dashboard needs: the real `corral server` on 127.0.0.1 with a
// temporary SQLite database (port read from its "listening on" line, stopped by PID), one
// headless Debian Chromium per test file with a fresh profile, the API driven with fetch as a
// client or worker would, screenshots at 1280 and 390 px, and an axe-core check.
//
// CORRAL_BINARY names the binary under test and SCREENSHOT_DIR where screenshots go
// (tests/CMakeLists.txt sets both); CHROMIUM overrides /usr/bin/chromium.
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { after, before } from "node:test";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer, stopServer } from "../support/corral_server.mjs";

export const kTimeoutMs = 10_000;
const binary = process.env.CORRAL_BINARY;
const screenshots = process.env.SCREENSHOT_DIR ?? join(tmpdir(), "corral-dashboard-screenshots");

// ---- The server ----------------------------------------------------------------------------------

export class Corral {
  // `config`: the text of a TOML config file to start with (job types' stages), if any.
  // `adminKey`: started with that admin_key, and every request of `request` sends it.
  constructor(config, { adminKey } = {}) {
    this.adminKey = adminKey;
    assert.ok(binary, "CORRAL_BINARY must name the corral binary");
    this.dir = mkdtempSync(join(tmpdir(), "corral-dashboard-"));
    this.port = 0;
    if (config) {
      this.config = join(this.dir, "corral.toml");
      writeFileSync(this.config, config);
    }
  }

  // Starts `corral server` (on `port`, or a free one) and resolves once it listens.
  async start(port = 0) {
    const args = ["server", "--listen", `127.0.0.1:${port}`, "--db", `sqlite:${join(this.dir, "corral.db")}`];
    if (this.config) args.push("--config", this.config);
    if (this.adminKey) args.push("--admin-key", this.adminKey);
    return startServer(this, binary, args, kTimeoutMs);
  }

  // SIGTERM to its PID; resolves with the exit code, which a clean shutdown makes 0.
  stop() {
    return stopServer(this);
  }

  async dispose() {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }

  // One API request as a client would make it; the reply's status and JSON body.
  async request(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    if (this.adminKey) init.headers.Authorization = `Bearer ${this.adminKey}`;
    const reply = await fetch(this.url + path, init);
    const text = await reply.text();
    return { status: reply.status, body: text ? JSON.parse(text) : undefined };
  }

  async expect(status, method, path, body) {
    const reply = await this.request(method, path, body);
    assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  enqueue(spec) {
    return this.expect(201, "POST", "/api/v1/jobs", spec);
  }

  // A fetch by worker `worker` from `queue`; the jobs leased.
  async fetchJobs(queue, worker = "worker-1") {
    const reply = await this.expect(200, "POST", "/api/v1/fetch", { queues: [queue], worker_id: worker });
    return reply.jobs;
  }

  heartbeat(job, progress) {
    return this.expect(200, "POST", `/api/v1/jobs/${job.id}/heartbeat`, { lease_token: job.lease_token, progress });
  }

  fail(job, code, message, retryable = false) {
    return this.expect(200, "POST", `/api/v1/jobs/${job.id}/fail`, {
      lease_token: job.lease_token,
      error: { code, message, retryable },
    });
  }

  // `count` jobs enqueued on `queue` (which holds no other ready job) with one attempt, each
  // fetched and failed for good with `code`; their ids.
  async failedJobs(queue, count, code, message = `${code} happened`, spec = {}) {
    const ids = [];
    for (let i = 0; i < count; i++) ids.push((await this.enqueue({ type: "t", queue, max_attempts: 1, ...spec })).id);
    for (let i = 0; i < count; i++) {
      const [job] = await this.fetchJobs(queue);
      await this.fail(job, code, message);
    }
    return ids;
  }

  async statusOf(id) {
    return (await this.expect(200, "GET", `/api/v1/jobs/${id}`)).status;
  }
}

// ---- The browser -------------------------------------------------------------------------------

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

// A page in a fresh context (no cache, no storage) that fails the test on any script error.
export async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(kTimeoutMs);
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.on("console", (m) => {
    // A refused Content-Security-Policy shows here: an inline script or style slipped in.
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) page.errors.push(m.text());
  });
  return page;
}

// Screenshots of the page as it is at 1280 and at 390 px wide, as NAME-1280.png and NAME-390.png.
export async function screenshot(page, name) {
  mkdirSync(screenshots, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(screenshots, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(screenshots, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

// No serious or critical accessibility violation (axe-core), at both widths.
export async function expectAccessible(page, what) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(
      bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      [],
      `${what} at ${width} px`,
    );
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

// Registers the test file's before and after: one server and one browser for all its tests (a
// browser launch is the slow part), the server's clean exit checked at the end; `config` as for
// Corral.
export function serverAndBrowser(config, options) {
  const env = {};
  before(async () => {
    env.corral = await new Corral(config, options).start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    assert.equal(await env.corral?.stop(), 0, "corral shuts down cleanly");
    await env.corral?.dispose();
  });
  return env;
}
