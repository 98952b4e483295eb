// Sidekiq 6 (Debian's ruby-sidekiq) on Redis 7, appendfsync everysec. Sidekiq's clients and
// workers are Ruby, so the workloads for it run in sidekiq/bench.rb, written to match workloads.mjs.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort, startServer, stopServer, freshDir, rmDir } from '../lib/common.mjs';

const script = fileURLToPath(new URL('../sidekiq/bench.rb', import.meta.url));

export async function create() {
  let server; let dir; let port;
  return {
    name: 'sidekiq',
    label: 'Sidekiq on Redis (appendfsync everysec)',
    hasBatch: true,
    async start() {
      dir = freshDir('redis-sidekiq');
      port = await freePort();
      server = startServer('redis-sidekiq', 'redis-server', [
        '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
        '--appendonly', 'yes', '--appendfsync', 'everysec', '--protected-mode', 'no']);
      await waitForPort(port);
    },
    runWorkload(w, s, n) {
      const total = { W1: s.w1, W1c: s.w1c, W1b: s.w1b, W2: n, W3: 0 }[w];
      const args = [script, w, `redis://127.0.0.1:${port}/0`, String(total), String(s.timeoutS), String(s.w3Seconds)];
      return new Promise((resolve, reject) => {
        execFile('ruby', args, { timeout: (2 * s.timeoutS + s.w3Seconds + 90) * 1000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
          if (err) { reject(new Error(`sidekiq ${w}: ${String(stderr || err.message).trim().split('\n').slice(-1)[0]}`)); return; }
          resolve(JSON.parse(stdout.trim().split('\n').pop()));
        });
      });
    },
    async stop() {
      await stopServer(server);
      if (dir) rmDir(dir);
    },
  };
}
