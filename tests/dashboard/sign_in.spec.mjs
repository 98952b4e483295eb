// The dashboard on a server with API keys: the sign-in form, the session cookie (HttpOnly,
// SameSite=Strict), live updates over it, actions that carry the CSRF token, a viewer's
// read-only page, and changes forged from another site or by a viewer refused with 403.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { expectAccessible, openPage, screenshot, serverAndBrowser } from "./support.mjs";

const kAdminKey = "dashboard-admin-key-0123456789abcdef";
const env = serverAndBrowser(undefined, { adminKey: kAdminKey });

async function signIn(page, key) {
  await page.goto(env.corral.url);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").waitFor();
}

async function newKey(role) {
  return (await env.corral.expect(201, "POST", "/api/v1/keys", { role, name: `${role} of the test` })).key;
}

// A page of another origin (`host`: "localhost" is another site than 127.0.0.1; 127.0.0.1 on
// another port the same site) whose form posts to `target` as soon as it loads.
async function forgingSite(host, target) {
  const server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(`<!doctype html><title>Win a prize</title>
<form id="f" method="POST" action="${target}"></form><script>document.getElementById("f").submit()</script>`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://${host}:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

test("a wrong key is refused; a key signs in to an HttpOnly, SameSite=Strict cookie, and the key is not kept", async () => {
  const page = await openPage(env.browser);
  await page.goto(env.corral.url);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await screenshot(page, "sign-in");
  await expectAccessible(page, "the sign-in form");
  await page.getByLabel("API key").fill("crl_not_a_key_this_server_made");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Could not sign in: the API key is not valid").waitFor();

  await page.getByLabel("API key").fill(kAdminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").getByText("admin_key · admin").waitFor();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  const [cookie] = (await page.context().cookies()).filter((c) => c.name === "corral_session");
  assert.ok(cookie, "the session cookie is set");
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, "Strict");
  assert.ok(!cookie.value.includes(kAdminKey), "the cookie does not hold the key");
  assert.equal(await page.evaluate(() => document.cookie), "", "no script can read the session");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(kAdminKey), "the page keeps no copy of the key");

  await page.reload();
  await page.getByTestId("signed-in-as").waitFor();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.deepEqual(page.errors, []);
});

test("signed in, the jobs list is live over the cookie and an admin's cancel carries the CSRF token", async () => {
  const page = await openPage(env.browser);
  await signIn(page, kAdminKey);
  await page.goto(`${env.corral.url}/jobs?queue=signed-in`);
  await page.getByText("No job matches these filters.").waitFor();
  const { id } = await env.corral.enqueue({ type: "report", queue: "signed-in" });
  await page.locator(`tr[data-job-id="${id}"]`).waitFor();

  await page.goto(`${env.corral.url}/jobs/${id}`);
  await page.getByRole("button", { name: "Cancel job" }).click();
  await page.getByRole("heading", { name: /report/ }).getByText("Cancelled").waitFor();
  assert.equal(await env.corral.statusOf(id), "cancelled");
  assert.deepEqual(page.errors, []);
});

test("a viewer sees no actions, and its change sent anyway gets 403 and changes nothing", async () => {
  const { id } = await env.corral.enqueue({ type: "report", queue: "viewer" });
  const page = await openPage(env.browser);
  await signIn(page, await newKey("viewer"));
  await page.getByTestId("signed-in-as").getByText("viewer of the test · viewer").waitFor();
  await page.goto(`${env.corral.url}/jobs/${id}`);
  await page.getByRole("heading", { name: /report/ }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel job" }).count(), 0);
  await page.goto(`${env.corral.url}/queues`);
  await page.locator('tr[data-queue="viewer"]').waitFor();
  assert.equal(await page.getByRole("button", { name: /Pause queue/ }).count(), 0);
  await screenshot(page, "queues-viewer");

  const reply = await page.evaluate(async (jobId) => {
    const session = await (await fetch("/api/v1/session")).json();
    const r = await fetch(`/api/v1/jobs/${jobId}/cancel`, { method: "POST", headers: { "X-CSRF-Token": session.csrf_token } });
    return { status: r.status, body: await r.json() };
  }, id);
  assert.equal(reply.status, 403);
  assert.equal(reply.body.error.code, "forbidden");
  assert.equal(await env.corral.statusOf(id), "queued");
  assert.deepEqual(page.errors, []);
});

test("a change forged from another site, or from the same site on another port, gets 403 and changes nothing", async () => {
  const { id } = await env.corral.enqueue({ type: "report", queue: "forged" });
  const page = await openPage(env.browser);
  await signIn(page, kAdminKey);
  for (const host of ["localhost", "127.0.0.1"]) {
    const site = await forgingSite(host, `${env.corral.url}/api/v1/jobs/${id}/cancel`);
    try {
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/jobs/${id}/cancel`));
      await page.goto(site.url);
      const reply = await answered;
      assert.equal(reply.status(), 403, `from ${host}`);
      assert.equal((await reply.json()).error.code, "forbidden");
    } finally {
      await site.close();
    }
    assert.equal(await env.corral.statusOf(id), "queued", `the forged cancel from ${host} changed nothing`);
  }
});
