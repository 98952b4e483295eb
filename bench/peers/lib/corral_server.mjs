// A fresh Corral server for one workload: its own database directory, a free port, defaults
// (SQLite, synchronous=FULL). Shared by the two Corral drivers, so both measure the same server.
import path from 'node:path';
import { freePort, waitForPort, startServer, stopServer, freshDir, rmDir } from './common.mjs';

export async function startCorral(corralBin) {
  const dir = freshDir('corral');
  const port = await freePort();
  const server = startServer('corral', corralBin,
    ['server', '--listen', `127.0.0.1:${port}`, '--db', `sqlite:${path.join(dir, 'corral.db')}`, '--log-level', 'warn']);
  await waitForPort(port);
  return { server, dir, port };
}

export async function stopCorral(corral) {
  if (!corral) return;
  await stopServer(corral.server);
  rmDir(corral.dir);
}
