// A dashboard opened on a server without keys, when the server's first key is made: its next
// request gets 401, and the page asks to sign in instead of showing errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, serverAndBrowser } from "./support.mjs";

const env = serverAndBrowser();

test("the first key made while the page is open brings the sign-in form", async () => {
  const page = await openPage(env.browser);
  await page.goto(env.corral.url);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  assert.equal(await page.getByTestId("signed-in-as").count(), 0, "nothing to sign in to yet");
  const created = await env.corral.expect(201, "POST", "/api/v1/keys", { role: "viewer", name: "first" });

  await page.getByRole("link", { name: "Jobs" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("API key").fill(created.key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("signed-in-as").getByText("first · viewer").waitFor();
  assert.deepEqual(page.errors, []);
});
