// The TypeScript client's two batch enqueues side by side against one running server:
// enqueueBatch (the whole jobs back) and enqueueBatchRefs (Prefer: return=minimal, ids and
// statuses back), alternated round by round:
//
//   node bench/ts_client_batch.mjs URL [REQUESTS] [ROUNDS]
//
// After an unmeasured warm-up of both, each run sends REQUESTS (default 300) awaited batches of
// 100 jobs from one producer and prints jobs/s and this process's CPU per request
// (process.cpuUsage). The client comes from clients/typescript/dist (bash
// clients/typescript/run_tests.sh builds it). Bounded: REQUESTS per run, ROUNDS (default 3) rounds.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const { Client } = await import(join(here, "..", "clients", "typescript", "dist", "index.js"));

const [url, requestsArg, roundsArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: node bench/ts_client_batch.mjs URL [REQUESTS] [ROUNDS]");
  process.exit(2);
}
const requests = Number(requestsArg ?? 300);
const rounds = Number(roundsArg ?? 3);
const client = new Client({ url });
const batch = Array.from({ length: 100 }, (_, i) => ({ type: "bench.noop", queue: "ts-batch", payload: { n: i } }));

async function run(name, enqueue) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    const jobs = await enqueue(batch);
    if (jobs.length !== batch.length) throw new Error(`${name}: ${jobs.length} jobs back`);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / requests;
  console.log(`${name.padEnd(16)} ${Math.round((requests * batch.length) / seconds).toLocaleString("en")} jobs/s, client CPU ${cpuMs.toFixed(2)} ms a request`);
}

// A first run unmeasured: V8 compiles the hot code of both paths before either is timed.
for (let i = 0; i < Math.min(requests, 100); i++) {
  await client.enqueueBatch(batch);
  await client.enqueueBatchRefs(batch);
}

const full = ["enqueueBatch", (b) => client.enqueueBatch(b)];
const refs = ["enqueueBatchRefs", (b) => client.enqueueBatchRefs(b)];
for (let round = 1; round <= rounds; round++) {
  for (const [name, enqueue] of round % 2 ? [full, refs] : [refs, full]) await run(name, enqueue);
}
