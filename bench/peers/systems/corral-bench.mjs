// Corral driven by its own C++ load generator, `corral bench` (docs/cli.md), as a check on what
// the Node client costs. One `corral bench` run enqueues its jobs and then drains them once all
// are queued, so the W1 run also yields the 20,000-job drain and the W1b run the 200,000-job
// drain; W2 reuses those figures from the same round. W3 is its fixed-rate mode (`--rate 200
// --duration 10`, 16 idle workers fetching one job at a time), which reports the time from the
// enqueue call to the worker's receipt of the job.
import { execFile } from 'node:child_process';
import { startCorral, stopCorral } from '../lib/corral_server.mjs';

const stash = new Map();   // drain results by job count, from the enqueue run that preceded them

function parseLatency(stdout) {
  const m = stdout.match(/^latency\s+(\d+) jobs\s+enqueue->handler start p50 ([\d.]+) ms\s+p99 ([\d.]+) ms\s+max ([\d.]+) ms/m);
  if (!m) return null;
  return { done: Number(m[1]), value: { p50: Number(m[2]), p99: Number(m[3]), max: Number(m[4]) } };
}

function parse(stdout, phase) {
  const m = stdout.match(new RegExp(`^${phase}\\s+(\\d+) jobs in\\s+([\\d.]+) s`, 'm'));
  if (!m) return null;
  return { done: Number(m[1]), seconds: Number(m[2]), value: Number(m[1]) / Number(m[2]) };
}

export async function create({ corralBin, completeBatch = false }) {
  let corral; let port;
  const run = (args, s) => new Promise((resolve, reject) => {
    execFile(corralBin, ['bench', '--server', `http://127.0.0.1:${port}`, '--queue', 'bench',
      '--workers', '16', '--payload-bytes', '100', '--max-seconds', String(s.timeoutS), ...args],
    { timeout: (2 * s.timeoutS + 60) * 1000 }, (err, stdout, stderr) => {
      resolve({ stdout, failure: String(stderr || (err && err.message) || '').trim().slice(0, 200) });
    });
  });
  const bench = async (args, s) => {
    const { stdout, failure } = await run(['--fetch-count', String(s.fetchBatch),
      ...(completeBatch ? ['--complete-batch', String(s.fetchBatch)] : []), ...args], s);
    const enq = parse(stdout, 'enqueue'); const drain = parse(stdout, 'drain');
    if (!enq) throw new Error(`corral bench: ${failure}`);
    return { enq, drain };
  };
  const latency = async (s) => {
    const total = Math.round(200 * s.w3Seconds);
    const { stdout, failure } = await run(['--rate', '200', '--duration', String(s.w3Seconds), '--fetch-count', '1'], s);
    const lat = parseLatency(stdout);
    if (!lat) throw new Error(`corral bench: ${failure}`);
    return { ...lat, total, timedOut: lat.done < total, seconds: s.w3Seconds };
  };
  const res = (r, total) => r && ({ ...r, total, timedOut: r.done < total });
  return {
    name: 'corral-bench',
    label: 'Corral, driven by `corral bench` (C++ client)',
    hasBatch: true,
    async start() {
      corral = await startCorral(corralBin);
      port = corral.port;
    },
    async runWorkload(w, s, n) {
      if (w === 'W3') return latency(s);
      if (w === 'W2' && stash.has(n)) { const r = stash.get(n); stash.delete(n); return r; }
      const spec = {
        W1: [s.w1, 1, 1], W1c: [s.w1c, 16, 1], W1b: [s.w1b, 1, 100], W2: [n, 4, 100],
      }[w];
      const [jobs, producers, batch] = spec;
      const { enq, drain } = await bench(['--jobs', String(jobs), '--producers', String(producers), '--batch', String(batch)], s);
      if (drain && (w === 'W1' || w === 'W1b')) stash.set(jobs, res(drain, jobs));
      if (w === 'W2') return res(drain, jobs) || { error: 'no drain figure' };
      return res(enq, jobs);
    },
    async stop() {
      await stopCorral(corral);
      corral = undefined;
    },
  };
}
