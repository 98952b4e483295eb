// What every test file needs: the real `corral server` on 127.0.0.1 (a free port, read from its
// "listening on" line) with a temporary SQLite database, stopped by PID, and waits on conditions
// with deadlines instead of sleeps.
//
// CORRAL_BINARY names the binary under test (run_tests.sh sets it).

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";

export const kDeadlineMs = 20_000;

export class Corral {
  url = "";
  private readLog: () => string = () => "";
  private child: ChildProcess | undefined;
  private exited: Promise<number | string | null> | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "corral-ts-client-"));

  /** Starts the server with `args` added and resolves once it listens. */
  async start(args: string[] = []): Promise<this> {
    const binary = process.env["CORRAL_BINARY"];
    assert.ok(binary, "CORRAL_BINARY must name the corral binary");
    const started = await spawnListening(binary, [
      "server",
      "--listen",
      "127.0.0.1:0",
      "--db",
      `sqlite:${join(this.dir, "corral.db")}`,
      ...args,
    ]);
    const child = started.child;
    this.child = child;
    this.readLog = started.log;
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      child.on("exit", (code, signal) => resolve(code ?? signal));
    });
    this.url = started.url;
    return this;
  }

  /** What it has printed so far. */
  get log(): string {
    return this.readLog();
  }

  /** SIGTERM to its PID; resolves with the exit code (0 for a clean shutdown). */
  async stop(): Promise<number | string | null | undefined> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode;
    this.child.kill("SIGTERM");
    return this.exited;
  }

  dispose(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Starts a process that prints "listening on [http://]127.0.0.1:PORT" once it serves, and
 * resolves with it and its URL; rejects if it exits first or does not listen in time.
 */
export async function spawnListening(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not listen in time:\n${log}`)), kDeadlineMs);
    const read = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /listening on (?:http:\/\/)?127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${log}`));
    });
  });
  return { child, url, log: () => log };
}

/** One server for the tests of a file, shut down cleanly at the end. */
export function corralServer(args: string[] = []): { corral: Corral } {
  const env = { corral: new Corral() };
  before(async () => {
    await env.corral.start(args);
  });
  after(async () => {
    const code = await env.corral.stop();
    env.corral.dispose();
    assert.equal(code, 0, `corral shuts down cleanly:\n${env.corral.log.slice(-2000)}`);
  });
  return env;
}

/** Polls `condition` until it returns a truthy value, which it resolves with; fails at the deadline. */
export async function waitFor<T>(
  what: string,
  condition: () => T | Promise<T>,
  deadlineMs = kDeadlineMs,
): Promise<NonNullable<T>> {
  const end = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A promise with its resolve function outside, for handlers that wait on the test. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A unique queue name per test, so tests of one file do not take each other's jobs. */
let queues = 0;
export function freshQueue(name: string): string {
  queues += 1;
  return `${name}-${queues}`;
}
