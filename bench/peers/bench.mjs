// Runs every workload against every system, interleaved (each round rotates the order of the
// systems within each workload), and prints one markdown table of medians.
// Usage: node bench.mjs [--quick] [--rounds N] [--systems a,b] [--workloads W1,W2] [--corral PATH]
//        [--max-seconds S] [--fetch-batch N] [--corral-complete each|batch] [--json FILE]
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { now, median, killAllChildren, sleep } from './lib/common.mjs';
import { stopPostgres } from './lib/postgres.mjs';
import { WORKLOADS } from './workloads.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    systems: { type: 'string', default: '' },
    workloads: { type: 'string', default: '' },
    corral: { type: 'string', default: '' },
    json: { type: 'string', default: '' },
    'fetch-batch': { type: 'string', default: '100' },
    'max-seconds': { type: 'string', default: '' },
    // How the Node worker completes Corral jobs: `each` (one call per job) or `batch` (one
    // POST /api/v1/complete per fetch, for servers that have it).
    'corral-complete': { type: 'string', default: 'each' },
  },
});

const f = args.quick ? 10 : 1;
const sizes = {
  w1: 20000 / f, w1c: 50000 / f, w1b: 200000 / f, w2: [20000 / f, 200000 / f],
  w3Seconds: args.quick ? 2 : 10, timeoutS: Number(args['max-seconds'] || (args.quick ? 60 : 300)), fetchBatch: Number(args['fetch-batch']),
};
const rounds = Number(args.rounds);

const SYSTEMS = {
  corral: async () => (await import('./systems/corral.mjs')).create({
    corralBin: args.corral || process.env.CORRAL_BIN, completeBatch: args['corral-complete'] === 'batch' }),
  'corral-bench': async () => (await import('./systems/corral-bench.mjs')).create({
    corralBin: args.corral || process.env.CORRAL_BIN, completeBatch: args['corral-complete'] === 'batch' }),
  'bullmq-always': async () => (await import('./systems/bullmq.mjs')).create({ appendfsync: 'always' }),
  'bullmq-everysec': async () => (await import('./systems/bullmq.mjs')).create({ appendfsync: 'everysec' }),
  'beanstalkd-f0': async () => (await import('./systems/beanstalkd.mjs')).create({ fsyncMs: 0 }),
  'beanstalkd-f50': async () => (await import('./systems/beanstalkd.mjs')).create({ fsyncMs: 50 }),
  'pg-boss': async () => (await import('./systems/pgboss.mjs')).create(),
  'graphile-worker': async () => (await import('./systems/graphile.mjs')).create(),
  sidekiq: async () => (await import('./systems/sidekiq.mjs')).create({ quick: args.quick }),
};

const systemNames = args.systems ? args.systems.split(',') : Object.keys(SYSTEMS).filter((n) => n !== 'sidekiq' || fs.existsSync(new URL('./systems/sidekiq.mjs', import.meta.url)));
for (const n of systemNames) if (!SYSTEMS[n]) throw new Error(`unknown system ${n}; known: ${Object.keys(SYSTEMS).join(', ')}`);

// Columns: a workload at a size.
const columns = [];
const wanted = args.workloads ? args.workloads.split(',') : ['W1', 'W1c', 'W1b', 'W2', 'W3'];
for (const w of wanted) {
  if (!WORKLOADS[w]) throw new Error(`unknown workload ${w}`);
  const k = (x) => x.toLocaleString('en-US');
  if (w === 'W2') for (const n of sizes.w2) columns.push({ key: `W2-${n}`, w, n, head: `W2 drain of ${k(n)}, jobs/s` });
  else if (w === 'W3') columns.push({ key: 'W3', w, head: `W3 latency at 200/s, p50 / p99 / max ms` });
  else columns.push({ key: w, w, head: `${w}: ${{ W1: `${k(sizes.w1)} jobs, 1 producer`, W1c: `${k(sizes.w1c)} jobs, 16 producers`, W1b: `${k(sizes.w1b)} jobs, 100 per call` }[w]}, jobs/s` });
}

const results = {};   // results[system][column] = [ { value, ... } | { error } ]
const labels = {};
const log = (...m) => console.error(new Date().toISOString().slice(11, 19), ...m);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopping = true; killAllChildren(); stopPostgres(); process.exit(130); });

async function once(name, col) {
  const sys = await SYSTEMS[name]();
  labels[name] = sys.label;
  const wl = WORKLOADS[col.w];
  if (wl.needsBatch && !sys.hasBatch) return { na: true };
  let res;
  try {
    await sys.start({ workload: col.w });
    const hard = sleep((2 * sizes.timeoutS + sizes.w3Seconds + 120) * 1000).then(() => { throw new Error('hard timeout'); });
    res = await Promise.race([sys.runWorkload ? sys.runWorkload(col.w, sizes, col.n) : wl.run(sys, sizes, col.n), hard]);
  } catch (e) {
    res = { error: String(e && e.message || e).slice(0, 200) };
  } finally {
    try { await sys.stop(); } catch (e) { log(`${name}: stop: ${e.message}`); }
  }
  return res;
}

const t0 = now();
for (let r = 0; r < rounds && !stopping; r += 1) {
  for (const col of columns) {
    const order = systemNames.map((_, i) => systemNames[(i + r) % systemNames.length]);
    for (const name of order) {
      const res = await once(name, col);
      ((results[name] ||= {})[col.key] ||= []).push(res);
      const v = res.na ? 'n/a' : res.error ? `error: ${res.error}` : fmt(res.value) + (res.timedOut ? ` (timed out: ${res.done}/${res.total})` : '');
      log(`round ${r + 1}/${rounds} ${col.key.padEnd(9)} ${name.padEnd(16)} ${v}`);
    }
  }
}
stopPostgres();

function num(x) {
  if (!Number.isFinite(x)) return '–';
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
function fmt(v) { return typeof v === 'object' ? `${num(v.p50)} / ${num(v.p99)} / ${num(v.max)}` : num(v); }

function cell(runs) {
  if (!runs || runs.length === 0) return '';
  if (runs.every((x) => x.na)) return 'n/a';
  const ok = runs.filter((x) => !x.error && !x.na);
  const errs = runs.filter((x) => x.error);
  if (ok.length === 0) return `error${errs[0] ? ` (${errs[0].error.replace(/\|/g, '/').slice(0, 60)})` : ''}`;
  const to = ok.some((x) => x.timedOut) ? ' (timed out)' : '';
  if (typeof ok[0].value === 'object') {
    return `${num(median(ok.map((x) => x.value.p50)))} / ${num(median(ok.map((x) => x.value.p99)))} / ${num(median(ok.map((x) => x.value.max)))}${to}`;
  }
  const vals = ok.map((x) => x.value);
  const m = median(vals);
  const spread = vals.length > 1 ? ` ±${Math.round(((Math.max(...vals) - Math.min(...vals)) / 2 / m) * 100)}%` : '';
  return `${num(m)}${spread}${to}${errs.length ? ` (${errs.length} failed)` : ''}`;
}

const lines = [];
lines.push(`| system | ${columns.map((c) => c.head).join(' | ')} |`);
lines.push(`|---|${columns.map(() => '---:').join('|')}|`);
for (const name of systemNames) {
  lines.push(`| ${labels[name] || name} | ${columns.map((c) => cell(results[name]?.[c.key])).join(' | ')} |`);
}
console.log(lines.join('\n'));
console.log(`\nMedians of ${rounds} round(s)${rounds > 1 ? ' (± is half the spread between the lowest and highest run, relative to the median)' : ''}; ` +
  `${args.quick ? 'quick sizes (10x smaller); ' : ''}fetch batch ${sizes.fetchBatch} where the client has one; ` +
  `whole run ${((now() - t0) / 60000).toFixed(1)} min.`);
if (args.json) fs.writeFileSync(args.json, JSON.stringify({ sizes, rounds, columns, labels, results }, null, 1));
process.exit(0);
