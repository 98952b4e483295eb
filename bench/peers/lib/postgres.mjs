// A private PostgreSQL 15 cluster (Debian's postgresql) in the work directory, on a free loopback
// port, run as the unprivileged `postgres` user when started as root. synchronous_commit stays on.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, recordPid, run, WORKDIR } from './common.mjs';

const BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';

function asPg(cmd, args) {
  if (process.getuid && process.getuid() === 0) return run('runuser', ['-u', 'postgres', '--', cmd, ...args]);
  return run(cmd, args);
}

let cluster = null;

export async function startPostgres() {
  if (cluster) return cluster;
  const base = path.join(WORKDIR, 'pg');
  const data = path.join(base, 'data');
  fs.mkdirSync(base, { recursive: true });
  if (process.getuid && process.getuid() === 0) {
    fs.chmodSync(WORKDIR, 0o755);
    run('chown', ['postgres:postgres', base]);
  }
  asPg(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const opts = [
    `-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${base}`,
    '-c synchronous_commit=on', '-c fsync=on', '-c max_connections=200',
  ].join(' ');
  asPg(path.join(BIN, 'pg_ctl'), ['-D', data, '-l', path.join(base, 'postgres.log'), '-o', opts, '-w', '-t', '60', 'start']);
  const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  recordPid(pid);
  const version = asPg(path.join(BIN, 'postgres'), ['--version']).trim();
  cluster = { port, data, pid, version, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
  return cluster;
}

export function stopPostgres() {
  if (!cluster) return;
  try {
    asPg(path.join(BIN, 'pg_ctl'), ['-D', cluster.data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  } catch {
    try { process.kill(cluster.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  cluster = null;
}

export async function sql(url, text, params = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await c.query(text, params); } finally { await c.end(); }
}
