// The validator itself (ctest: openapi_validator): it must fail on each kind of drift it is there
// to catch, and pass what the document allows, or openapi_responses proves nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const spec = join(here, "../../docs/openapi.json");
const dir = mkdtempSync(join(tmpdir(), "corral-openapi-"));

// Runs validate.mjs on `replies`; its exit status and output.
function validate(replies) {
  const log = join(dir, `log-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(log, replies.map((r) => JSON.stringify(r)).join("\n") + "\n");
  try {
    return { status: 0, output: execFileSync("node", [join(here, "validate.mjs"), spec, log], { encoding: "utf8" }) };
  } catch (e) {
    return { status: e.status, output: e.stdout + e.stderr };
  }
}

const json = (method, path, status, body) => ({ method, path, status, content_type: "application/json", body: JSON.stringify(body) });
const error = (code) => ({ error: { code, message: `${code} happened` } });

test("replies the document allows pass", () => {
  const r = validate([
    json("GET", "/livez", 200, { status: "ok" }),
    json("GET", "/api/v1/jobs/job_x", 404, error("not_found")),
    json("POST", "/api/v1/jobs/batch", 400, error("invalid_argument")),
    json("GET", "/api/v1/nothing", 404, error("not_found")),
    json("PUT", "/api/v1/jobs", 405, error("method_not_allowed")),
    { method: "GET", path: "/jobs", status: 200, content_type: "text/html; charset=utf-8", body: "<!doctype html>" },
    { method: "DELETE", path: "/api/v1/jobs/job_x", status: 204, content_type: "", body: "" },
    { method: "GET", path: "/metrics", status: 200, content_type: "text/plain; version=0.0.4; charset=utf-8", body: "corral_up 1\n" },
    { ...json("GET", "/api/v1/jobs", 200, {}), body: "", body_truncated: true },
  ]);
  assert.equal(r.status, 0, r.output);
});

// A job as POST /api/v1/jobs returns it.
const queuedJob = {
  id: "job_01m955p7w68ngyxzb2jprw18dr", type: "t", queue: "one", payload: {}, priority: 0, status: "queued",
  attempt: 0, max_attempts: 3, run_at: "2026-12-06T07:56:55.558695Z", timeout_s: 300, max_run_s: null,
  backoff: { initial_s: 1, multiplier: 2, max_s: 3600, jitter: 0.1 }, retryable: true, progress: null, stages: [],
  eta_s: null, checkpoint: null, result: null, error: null, attempts: [], owner: null, idempotency_key: null,
  metadata: null, trace_id: "ff6bc9b753e39e1d198c09d8f443e0b0", cancel_requested: false, lease_expires_at: null,
  worker_id: null, created_at: "2026-12-06T07:56:55.558695Z", updated_at: "2026-12-06T07:56:55.558695Z",
  started_at: null, completed_at: null, callback_url: null, webhook: null, schedule: null, scheduled_for: null,
  depends_on: [], on_parent_failure: null, parents_left: 0, parents: [], batch: null,
};

test("a job holds to the job object's rules: a lease only while running, completed_at once ended", () => {
  assert.equal(validate([json("POST", "/api/v1/jobs", 201, queuedJob)]).status, 0);
  const leased = validate([json("POST", "/api/v1/jobs", 201, { ...queuedJob, lease_expires_at: "2026-12-06T07:57:55.558695Z" })]);
  assert.equal(leased.status, 1);
  assert.match(leased.output, /\/lease_expires_at must be null/);
  const ended = validate([json("GET", "/api/v1/jobs/job_x", 200, { ...queuedJob, status: "failed" })]);
  assert.equal(ended.status, 1);
  assert.match(ended.output, /\/completed_at/);
  const summary = validate([json("GET", "/api/v1/jobs", 200, { jobs: [{ ...queuedJob, payload: undefined, attempts: undefined }] })]);
  assert.equal(summary.status, 1, "a summary without checkpoint and result is neither a job nor a summary");
});

test("a body that breaks its schema fails, naming the field", () => {
  const r = validate([json("GET", "/livez", 200, { status: "fine" })]);
  assert.equal(r.status, 1);
  assert.match(r.output, /MISMATCH GET \/livez -> 200 .*\/status/);
});

test("a status the operation does not list fails", () => {
  const r = validate([json("POST", "/api/v1/jobs", 409, error("wrong_state"))]);
  assert.equal(r.status, 1);
  assert.match(r.output, /status 409 is not a response of the operation/);
});

test("an error code the status does not carry fails", () => {
  const r = validate([json("POST", "/api/v1/jobs/job_x/cancel", 409, error("stale_lease"))]);
  assert.equal(r.status, 1);
  assert.match(r.output, /\/error\/code/);
});

test("a content type the response does not have fails", () => {
  const r = validate([{ method: "GET", path: "/livez", status: 200, content_type: "text/plain", body: "ok" }]);
  assert.equal(r.status, 1);
  assert.match(r.output, /content type "text\/plain"/);
});

test("a path the document does not describe fails unless it is the router's 404", () => {
  const r = validate([json("GET", "/api/v1/secret", 200, {})]);
  assert.equal(r.status, 1);
  assert.match(r.output, /no such path/);
});

test("an empty log fails: the suites that log did not run", () => {
  const r = validate([]);
  assert.equal(r.status, 1);
});

test("a damaged line of the log is shown and the other replies are still checked", () => {
  const log = join(dir, "damaged.jsonl");
  const good = JSON.stringify(json("GET", "/livez", 200, { status: "ok" }));
  const drift = JSON.stringify(json("GET", "/livez", 200, { status: 7 }));
  writeFileSync(log, `${good}\n{"method":"GET","path":"/li\u2028\u2028vez"\n${good}\r\n`);
  const ok = execFileSync("node", [join(here, "validate.mjs"), spec, log], { encoding: "utf8" });
  assert.match(ok, /WARNING line 2 .* is not JSON/);
  assert.match(ok, /2 replies checked/);
  // Damage does not hide a mismatch on another line.
  writeFileSync(log, `{"method":\n${drift}\n`);
  assert.throws(() => execFileSync("node", [join(here, "validate.mjs"), spec, log], { encoding: "utf8", stdio: "pipe" }),
    (e) => e.status === 1 && /MISMATCH GET \/livez/.test(e.stdout));
});
