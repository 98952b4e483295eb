// BullMQ on Redis 7 (Debian's redis-server), append-only file on, fsync policy as given.
import { Queue, Worker } from 'bullmq';
import { freePort, waitForPort, startServer, stopServer, freshDir, rmDir, sleep } from '../lib/common.mjs';

export async function create({ appendfsync }) {
  let server; let dir; let port; const queueName = 'bench';
  const closers = [];
  const connection = () => ({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
  return {
    name: `bullmq-${appendfsync}`,
    label: `BullMQ on Redis (appendfsync ${appendfsync})`,
    hasBatch: true,
    async start() {
      dir = freshDir('redis');
      port = await freePort();
      server = startServer('redis', 'redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
        '--appendonly', 'yes', '--appendfsync', appendfsync, '--maxmemory-policy', 'noeviction',
        '--protected-mode', 'no']);
      await waitForPort(port);
    },
    producer() {
      const q = new Queue(queueName, { connection: connection() });
      closers.push(() => q.close());
      return {
        enqueue: (payload) => q.add('bench', payload),
        enqueueBatch: (payloads) => q.addBulk(payloads.map((data) => ({ name: 'bench', data }))),
        close: () => q.close(),
      };
    },
    async startWorkers({ concurrency, onJob }) {
      let done = 0; let failure = null;
      const w = new Worker(queueName, async (job) => { onJob(job.data); },
        { connection: connection(), concurrency, autorun: true });
      w.on('completed', () => { done += 1; });
      w.on('failed', (_job, e) => { failure = failure || e; });
      w.on('error', (e) => { failure = failure || e; });
      return {
        completed: async () => { if (failure) throw failure; return done; },
        stop: () => Promise.race([w.close(), sleep(5000)]),
      };
    },
    async stop() {
      for (const c of closers.splice(0)) await Promise.race([c().catch(() => {}), sleep(2000)]);
      await stopServer(server);
      if (dir) rmDir(dir);
    },
  };
}
