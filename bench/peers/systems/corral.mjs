// Corral over its HTTP API (docs/api.md), driven from Node like the peers.
import http from 'node:http';
import { sleep } from '../lib/common.mjs';
import { startCorral, stopCorral } from '../lib/corral_server.mjs';

function client(port, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return function request(method, p, body) {
    const data = body === undefined ? null : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, method, path: p, agent,
        headers: data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {},
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode >= 300) {
            reject(new Error(`corral ${method} ${p}: ${res.statusCode} ${text.slice(0, 200)}`));
          } else {
            resolve(text ? JSON.parse(text) : null);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  };
}

export async function create({ corralBin, completeBatch = false }) {
  let corral; let port; const queue = 'bench';
  const clients = [];
  const mk = (n) => { const c = client(port, n); clients.push(c); return c; };
  return {
    name: 'corral',
    label: 'Corral (SQLite, fsync per commit)',
    hasBatch: true,
    async start() {
      corral = await startCorral(corralBin);
      port = corral.port;
    },
    // `connections`: how many requests may be in flight at once (the latency workload sends
    // without waiting for replies, as the peers' clients pipeline or pool).
    producer({ connections = 1 } = {}) {
      const req = mk(connections);
      return {
        enqueue: (payload) => req('POST', '/api/v1/jobs', { type: 'bench', queue, payload }),
        enqueueBatch: (payloads) => req('POST', '/api/v1/jobs/batch',
          { jobs: payloads.map((payload) => ({ type: 'bench', queue, payload })) }),
        close: async () => {},
      };
    },
    async startWorkers({ concurrency, batch, onJob }) {
      const req = mk(concurrency * 2);
      let done = 0; let stopping = false; let failure = null;
      const loops = Array.from({ length: concurrency }, async (_, k) => {
        while (!stopping) {
          const r = await req('POST', '/api/v1/fetch',
            { queues: [queue], worker_id: `w${k}`, count: batch, wait_s: 1 });
          if (completeBatch && r.jobs.length > 1) {
            // One call for the whole fetch: POST /api/v1/complete.
            for (const job of r.jobs) onJob(job.payload);
            const c = await req('POST', '/api/v1/complete',
              { jobs: r.jobs.map((job) => ({ id: job.id, lease_token: job.lease_token })) });
            const bad = c.results.find((x) => x.error);
            if (bad) throw new Error(`corral complete ${bad.id}: ${bad.error.code}`);
            done += r.jobs.length;
            continue;
          }
          for (const job of r.jobs) {
            onJob(job.payload);
            await req('POST', `/api/v1/jobs/${job.id}/complete`, { lease_token: job.lease_token });
            done += 1;
          }
        }
      }).map((p) => p.catch((e) => { failure = failure || e; }));
      return {
        completed: async () => { if (failure) throw failure; return done; },
        stop: async () => { stopping = true; await Promise.race([Promise.all(loops), sleep(3000)]); },
      };
    },
    async stop() {
      await stopCorral(corral);
      corral = undefined;
    },
  };
}
