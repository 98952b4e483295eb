// graphile-worker 0.17 on PostgreSQL 15. Each run gets its own schema, dropped afterwards.
import { run, makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { sleep } from '../lib/common.mjs';
import { startPostgres, sql } from '../lib/postgres.mjs';


export async function create() {
  let cl; let schema; let utils; let pool;
  return {
    name: 'graphile-worker',
    label: 'graphile-worker on PostgreSQL (synchronous_commit on)',
    hasBatch: true,
    async start() {
      cl = await startPostgres();
      schema = `gw_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
      pool = new pg.Pool({ connectionString: cl.url, max: 20 });
      pool.on('error', (e) => console.error('graphile-worker pool:', e.message));
      pool.on('connect', (c) => c.on('error', (e) => console.error('graphile-worker client:', e.message)));
      const { Logger } = await import('graphile-worker');
      this.logger = new Logger(() => (level, message) => { if (level === 'error') console.error('graphile-worker:', message); });
      utils = await makeWorkerUtils({ pgPool: pool, schema, logger: this.logger });
      await utils.migrate();
    },
    producer() {
      return {
        enqueue: (payload) => utils.addJob('bench', payload),
        enqueueBatch: (payloads) => utils.addJobs(payloads.map((payload) => ({ identifier: 'bench', payload }))),
        close: async () => {},
      };
    },
    async startWorkers({ concurrency, batch, onJob, total }) {
      let handled = 0;
      const runner = await run({
        connectionString: cl.url, schema, concurrency, maxPoolSize: concurrency + 4,
        noHandleSignals: true, logger: this.logger,
        preset: batch > 1 ? { worker: { localQueue: { size: batch } } } : {},
        taskList: { bench: async (payload) => { onJob(payload); handled += 1; } },
      });
      const q = new pg.Pool({ connectionString: cl.url, max: 1 });
      return {
        // A job's row is deleted when it completes.
        completed: async () => {
          if (handled < total) return Math.min(handled, total - 1);
          const r = await q.query(`SELECT count(*)::int AS n FROM ${schema}._private_jobs`);
          return total - r.rows[0].n;
        },
        stop: async () => { await Promise.race([runner.stop(), sleep(5000)]); await q.end(); },
      };
    },
    async stop() {
      if (utils) await utils.release();
      utils = null;
      if (pool) await pool.end();
      pool = null;
      if (cl && schema) await sql(cl.url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
