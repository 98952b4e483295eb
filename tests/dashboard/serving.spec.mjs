// How the server serves the dashboard's files, over real HTTP (no browser): content types, gzip,
// ETag and 304, caching, the Content-Security-Policy, HEAD, deep links, and the API's own 404.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Corral } from "./support.mjs";

let corral;
before(async () => {
  corral = await new Corral().start();
});
after(async () => {
  assert.equal(await corral?.stop(), 0, "corral shuts down cleanly");
  await corral?.dispose();
});

const get = (path, headers = {}, method = "GET") => fetch(corral.url + path, { method, headers });

// The script index.html loads, e.g. "/assets/main-3F9C2A1B.js".
async function scriptPath() {
  const html = await (await get("/")).text();
  return /<script type="module" src="([^"]+)"/.exec(html)[1];
}

test("index.html is the page of / and of every deep link, revalidated on each visit", async () => {
  for (const path of ["/", "/jobs?status=failed&queue=mail", "/jobs/job_x", "/queues", "/no/such/view"]) {
    const reply = await get(path);
    assert.equal(reply.status, 200, path);
    assert.equal(reply.headers.get("content-type"), "text/html; charset=utf-8", path);
    assert.equal(reply.headers.get("cache-control"), "no-cache", path);
    assert.match(await reply.text(), /<div id="app">/, path);
  }
});

test("content-hashed assets have their content type and are cached for good", async () => {
  const html = await (await get("/")).text();
  const wanted = {
    js: "text/javascript; charset=utf-8",
    css: "text/css; charset=utf-8",
    svg: "image/svg+xml",
  };
  const paths = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  assert.equal(paths.length, 3);
  for (const path of paths) {
    const reply = await get(path);
    assert.equal(reply.status, 200, path);
    assert.equal(reply.headers.get("content-type"), wanted[path.split(".").pop()], path);
    assert.equal(reply.headers.get("cache-control"), "public, max-age=31536000, immutable", path);
    assert.equal(reply.headers.get("x-content-type-options"), "nosniff", path);
  }
});

test("every page carries a Content-Security-Policy that allows no inline script or style", async () => {
  const csp = (await get("/jobs")).headers.get("content-security-policy");
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = await (await get("/")).text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|style=/, "index.html has no inline script or style");
});

test("gzip when the client accepts it, with its own ETag, and the plain file otherwise", async () => {
  const path = await scriptPath();
  const plain = await get(path, { "Accept-Encoding": "identity" });
  const body = Buffer.from(await plain.arrayBuffer());
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.equal(plain.headers.get("vary"), "Accept-Encoding");
  assert.equal(Number(plain.headers.get("content-length")), body.length);

  const zipped = await get(path, { "Accept-Encoding": "gzip, deflate, br" });
  assert.equal(zipped.headers.get("content-encoding"), "gzip");
  assert.equal(zipped.headers.get("vary"), "Accept-Encoding");
  assert.ok(Number(zipped.headers.get("content-length")) < body.length / 2, "the gzip copy is smaller");
  assert.deepEqual(Buffer.from(await zipped.arrayBuffer()), body, "and unzips to the same file");
  assert.notEqual(zipped.headers.get("etag"), plain.headers.get("etag"));

  const refused = await get(path, { "Accept-Encoding": "gzip;q=0" });
  assert.equal(refused.headers.get("content-encoding"), null);
  await refused.arrayBuffer();
});

test("a matching If-None-Match gets 304 with no body; another ETag gets the file", async () => {
  const path = await scriptPath();
  const first = await get(path, { "Accept-Encoding": "identity" });
  const etag = first.headers.get("etag");
  await first.arrayBuffer();
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const again = await get(path, { "Accept-Encoding": "identity", "If-None-Match": etag });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get("etag"), etag);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  const other = await get(path, { "Accept-Encoding": "identity", "If-None-Match": '"0000000000000000"' });
  assert.equal(other.status, 200);
  await other.arrayBuffer();
});

test("HEAD has GET's headers and no body", async () => {
  const path = await scriptPath();
  const head = await get(path, { "Accept-Encoding": "identity" }, "HEAD");
  const full = await get(path, { "Accept-Encoding": "identity" });
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-length"), full.headers.get("content-length"));
  assert.equal(head.headers.get("etag"), full.headers.get("etag"));
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  await full.arrayBuffer();
  // The connection is still in step: the next request on it gets its own reply.
  assert.equal((await get("/livez")).status, 200);
});

test("the API, the probes and a missing asset keep their JSON answers", async () => {
  for (const path of ["/api/v1/nope", "/api", "/assets/main-OLDHASH.js"]) {
    const reply = await get(path);
    assert.equal(reply.status, 404, path);
    assert.equal((await reply.json()).error.code, "not_found", path);
  }
  assert.deepEqual(await (await get("/livez")).json(), { status: "ok" });
  assert.equal((await get("/api/v1/queues")).headers.get("content-type"), "application/json");
  const post = await fetch(`${corral.url}/jobs`, { method: "POST" });
  assert.equal(post.status, 404, "only GET and HEAD reach the dashboard");
  await post.arrayBuffer();
});
