// pg-boss 10 on PostgreSQL 15. Each run gets its own schema, dropped afterwards.
import PgBoss from 'pg-boss';
import pg from 'pg';
import { sleep } from '../lib/common.mjs';
import { startPostgres, sql } from '../lib/postgres.mjs';

export async function create() {
  let cl; let schema; let boss; const queue = 'bench';
  const make = (max) => new PgBoss({ connectionString: cl.url, schema, max, schedule: false });
  return {
    name: 'pg-boss',
    label: 'pg-boss on PostgreSQL (synchronous_commit on)',
    hasBatch: true,
    async start() {
      cl = await startPostgres();
      schema = `pgboss_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
      boss = make(20);
      boss.on('error', (e) => console.error('pg-boss:', e.message));
      await boss.start();
      await boss.createQueue(queue);
      // The workers' instance is started here, before any clock runs; startWorkers only subscribes.
      this.wb = make(16 + 4);
      this.wb.on('error', (e) => { this.workerError = this.workerError || e; });
      await this.wb.start();
    },
    producer() {
      return {
        enqueue: (payload) => boss.send(queue, payload),
        enqueueBatch: (payloads) => boss.insert(payloads.map((data) => ({ name: queue, data }))),
        close: async () => {},
      };
    },
    async startWorkers({ concurrency, batch, onJob, total }) {
      const { wb } = this;
      let handled = 0;
      const pool = new pg.Pool({ connectionString: cl.url, max: 1 });
      for (let k = 0; k < concurrency; k += 1) {
        await wb.work(queue, { batchSize: batch, pollingIntervalSeconds: 0.5 }, async (jobs) => {
          for (const j of jobs) { onJob(j.data); handled += 1; }
        });
      }
      return {
        // pg-boss completes a batch after its handler returns, without awaiting it: once every job
        // was handled, ask the database how many are still not completed.
        completed: async () => {
          if (this.workerError) throw this.workerError;
          if (handled < total) return Math.min(handled, total - 1);
          const r = await pool.query(`SELECT count(*)::int AS n FROM ${schema}.job WHERE name = $1 AND state <> 'completed'`, [queue]);
          return total - r.rows[0].n;
        },
        stop: async () => {
          await Promise.race([wb.stop({ graceful: true, wait: true, timeout: 3000 }), sleep(5000)]);
          await pool.end();
        },
      };
    },
    async stop() {
      if (this.wb) await Promise.race([this.wb.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => {}), sleep(4000)]);
      this.wb = null;
      if (boss) await Promise.race([boss.stop({ graceful: false, wait: true, timeout: 2000 }).catch(() => {}), sleep(4000)]);
      boss = null;
      if (cl && schema) await sql(cl.url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}
