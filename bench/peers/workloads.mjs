// The workloads, the same for every system. Each returns { value, note } where value is jobs/s
// (or latencies in ms for W3); every loop is bounded by its job count and by a deadline.
import { now, sleep, makePayload, percentile, parallel } from './lib/common.mjs';

const CONCURRENCY = 16;

function rate(n, ms) { return n / (ms / 1000); }

async function enqueueLoop(sys, { producers, total, batch, timeoutS }) {
  const handles = Array.from({ length: producers }, () => sys.producer());
  const deadline = now() + timeoutS * 1000;
  let next = 0; let done = 0;
  const t0 = now();
  await parallel(producers, async (k) => {
    const p = handles[k];
    while (now() < deadline) {
      const i = next; next += batch;
      if (i >= total) break;
      const n = Math.min(batch, total - i);
      if (batch === 1) await p.enqueue(makePayload(i));
      else await p.enqueueBatch(Array.from({ length: n }, (_, j) => makePayload(i + j)));
      done += n;
    }
  });
  const ms = now() - t0;
  for (const h of handles) await h.close();
  return { value: rate(done, ms), done, total, timedOut: done < total, seconds: ms / 1000 };
}

// Puts `total` jobs in the queue before a drain; not measured.
async function preload(sys, total, timeoutS) {
  const p = sys.producer({ connections: 4 });
  const deadline = now() + timeoutS * 1000;
  const chunk = sys.hasBatch ? 1000 : 100;
  let next = 0;
  await parallel(4, async () => {
    while (next < total) {
      if (now() > deadline) throw new Error(`filling the queue took over ${timeoutS} s`);
      const i = next; next += chunk;
      const n = Math.min(chunk, total - i);
      const payloads = Array.from({ length: n }, (_, j) => makePayload(i + j));
      if (sys.hasBatch) await p.enqueueBatch(payloads);
      else await p.pipelined(payloads);
    }
  });
  await p.close();
}

async function waitCompleted(w, total, deadline, pollMs) {
  let c = 0;
  while (now() < deadline) {
    c = await w.completed();
    if (c >= total) return c;
    await sleep(pollMs);
  }
  return c;
}

export const WORKLOADS = {
  W1: {
    title: 'W1 enqueue, 1 producer',
    unit: 'jobs/s',
    run: (sys, s) => enqueueLoop(sys, { producers: 1, total: s.w1, batch: 1, timeoutS: s.timeoutS }),
  },
  W1c: {
    title: 'W1c enqueue, 16 producers',
    unit: 'jobs/s',
    run: (sys, s) => enqueueLoop(sys, { producers: CONCURRENCY, total: s.w1c, batch: 1, timeoutS: s.timeoutS }),
  },
  W1b: {
    title: 'W1b enqueue, 100 per call',
    unit: 'jobs/s',
    needsBatch: true,
    run: (sys, s) => enqueueLoop(sys, { producers: 1, total: s.w1b, batch: 100, timeoutS: s.timeoutS }),
  },
  W2: {
    title: 'W2 drain',
    unit: 'jobs/s',
    run: async (sys, s, total) => {
      await preload(sys, total, s.timeoutS);
      if (sys.afterPreload) await sys.afterPreload();
      const t0 = now();
      const deadline = t0 + s.timeoutS * 1000;
      const w = await sys.startWorkers({ concurrency: CONCURRENCY, batch: s.fetchBatch, onJob: () => {}, total });
      const done = await waitCompleted(w, total, deadline, 2);
      const ms = now() - t0;
      await w.stop();
      return { value: rate(done, ms), done, total, timedOut: done < total, seconds: ms / 1000 };
    },
  },
  W3: {
    title: 'W3 latency at 200 jobs/s',
    unit: 'ms',
    run: async (sys, s) => {
      const total = Math.round(200 * s.w3Seconds);
      const lat = [];
      const w = await sys.startWorkers({
        concurrency: CONCURRENCY, batch: s.fetchBatch, total,
        onJob: (payload) => { lat.push(now() - payload.t); },
      });
      await sleep(1000);                         // workers idle and waiting
      const p = sys.producer({ connections: CONCURRENCY });
      const t0 = now();
      const deadline = t0 + (s.w3Seconds + s.timeoutS) * 1000;
      const inflight = new Set(); let failure = null;
      for (let i = 0; i < total && now() < deadline && !failure; i += 1) {
        const due = t0 + i * 5;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        const pr = p.enqueue(makePayload(i, now())).catch((e) => { failure = failure || e; });
        inflight.add(pr); pr.finally(() => inflight.delete(pr));
        if (inflight.size > 1000) await Promise.race(inflight);
      }
      await Promise.all(inflight);
      if (failure) throw failure;
      while (lat.length < total && now() < deadline) await sleep(5);
      const sent = (now() - t0) / 1000;
      await w.stop();
      await p.close();
      const sorted = lat.slice().sort((a, b) => a - b);
      return {
        value: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] },
        done: lat.length, total, timedOut: lat.length < total, seconds: sent,
      };
    },
  },
};
