// Shared helpers: clocks, payloads, free ports, child servers tracked by PID, statistics.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

// Wall-clock milliseconds with sub-millisecond resolution (same clock in producer and worker).
export const now = () => performance.timeOrigin + performance.now();

// A ~100-byte JSON object. `t` carries the enqueue time for the latency workload.
export function makePayload(i, t = 0) {
  return {
    user_id: 100000 + i,
    email: `user${100000 + i}@example.com`,
    template: 'welcome',
    locale: 'en-GB',
    t: Math.round(t * 1000) / 1000,
  };
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

const PIDFILE = process.env.PEERS_PIDFILE || '';
export const WORKDIR = process.env.PEERS_WORKDIR || fs.mkdtempSync('/tmp/corral-peers-');

export function recordPid(pid) {
  if (PIDFILE) fs.appendFileSync(PIDFILE, `${pid}\n`);
}

const children = new Set();

// Starts a server in the foreground of a child process; its output goes to a log file.
export function startServer(name, cmd, args, opts = {}) {
  const log = fs.openSync(path.join(WORKDIR, `${name}.log`), 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', log, log], ...opts });
  fs.closeSync(log);
  recordPid(child.pid);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve({ code, sig })));
  child.exited.then(() => children.delete(child));
  return child;
}

export async function stopServer(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = sleep(graceMs).then(() => 'timeout');
  if ((await Promise.race([child.exited, t])) === 'timeout') {
    child.kill('SIGKILL');
    await child.exited;
  }
}

export function killAllChildren() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

export function freshDir(name) {
  const dir = fs.mkdtempSync(path.join(WORKDIR, `${name}-`));
  return dir;
}

export function rmDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

// Runs `n` copies of an async loop and resolves when all finish.
export async function parallel(n, fn) {
  await Promise.all(Array.from({ length: n }, (_, k) => fn(k)));
}
