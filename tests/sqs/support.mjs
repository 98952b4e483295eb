// What every SQS client test needs: the real `corral server` on 127.0.0.1 with a temporary
// SQLite database (port read from its "listening on" line, stopped by PID), an SQSClient of
// @aws-sdk/client-sqs pointed at it (with made-up credentials unless the server has API keys,
// auth.spec.mjs), Corral's own API driven with fetch, and a wait on a condition with a deadline.
//
// CORRAL_BINARY names the binary under test (tests/CMakeLists.txt sets it). With
// CORRAL_TEST_BACKEND=postgres each server gets a fresh database of the PostgreSQL that
// CORRAL_TEST_PG_URL names (scripts/test.sh starts one), dropped afterwards.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { SQSClient } from "@aws-sdk/client-sqs";
import { startServer, stopServer } from "../support/corral_server.mjs";

export const kTimeoutMs = 10_000;

export class Corral {
  constructor() {
    assert.ok(process.env.CORRAL_BINARY, "CORRAL_BINARY must name the corral binary");
    this.dir = mkdtempSync(join(tmpdir(), "corral-sqs-"));
  }

  // The --db of the server: a SQLite file, or a fresh PostgreSQL database.
  database() {
    if (process.env.CORRAL_TEST_BACKEND !== "postgres") return `sqlite:${join(this.dir, "corral.db")}`;
    const admin = process.env.CORRAL_TEST_PG_URL;
    assert.ok(admin, "CORRAL_TEST_PG_URL is not set: run the tests with scripts/test.sh, which starts a private PostgreSQL");
    this.pgName = `corral_sqs_${randomBytes(6).toString("hex")}`;
    this.psql(`CREATE DATABASE ${this.pgName}`);
    const url = new URL(admin);
    url.pathname = `/${this.pgName}`;
    return url.toString();
  }

  psql(sql) {
    const r = spawnSync("psql", [process.env.CORRAL_TEST_PG_URL, "-v", "ON_ERROR_STOP=1", "-qc", sql], { encoding: "utf8" });
    assert.equal(r.status, 0, `psql ${sql}: ${r.stderr}`);
  }

  // `args`: more `corral server` flags (an admin key, say).
  async start(args = []) {
    return startServer(this, process.env.CORRAL_BINARY,
                       ["server", "--listen", "127.0.0.1:0", "--db", this.database(), ...args], kTimeoutMs);
  }

  // SIGTERM to its PID; resolves with the exit code, which a clean shutdown makes 0.
  stop() {
    return stopServer(this);
  }

  dispose() {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
    if (this.pgName) this.psql(`DROP DATABASE ${this.pgName} WITH (FORCE)`);
  }

  // An SQSClient signing with `credentials` (made-up ones by default: a server without keys
  // does not check them).
  sqs(credentials = { accessKeyId: "test", secretAccessKey: "test" }) {
    return new SQSClient({ endpoint: this.url, region: "us-east-1", credentials });
  }

  // One request to Corral's own API, with `this.apiKey` if set; the reply's status and JSON body.
  async api(method, path, body) {
    const init = { method, headers: {} };
    if (this.apiKey) init.headers.Authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const res = await fetch(this.url + path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
}

// Resolves once `check()` (may be async) is truthy; fails after `ms`.
export async function waitUntil(check, what, ms = kTimeoutMs) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// A server and an SQSClient for the test file: started before its tests, stopped after them
// with a clean exit checked. The returned object's `sqs` is set once started.
export function useCorral() {
  const corral = new Corral();
  before(async () => {
    await corral.start();
    corral.client = corral.sqs();
  });
  after(async () => {
    corral.client?.destroy();
    assert.equal(await corral.stop(), 0, "a clean shutdown");
    corral.dispose();
  });
  return corral;
}
