// beanstalkd 1.12 (Debian's package) with a binlog, through a small client of its text protocol
// (put / reserve-with-timeout / delete; replies are read in order on each connection).
import net from 'node:net';
import { freePort, waitForPort, startServer, stopServer, freshDir, rmDir, sleep } from '../lib/common.mjs';

class Conn {
  constructor(port) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.setNoDelay(true);
    this.buf = Buffer.alloc(0);
    this.waiting = [];          // FIFO of { resolve, reject }
    this.ready = new Promise((res, rej) => { this.sock.once('connect', res); this.sock.once('error', rej); });
    this.sock.on('data', (d) => { this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d; this.parse(); });
    this.sock.on('error', (e) => { for (const w of this.waiting.splice(0)) w.reject(e); });
    this.sock.on('close', () => { for (const w of this.waiting.splice(0)) w.reject(new Error('beanstalkd connection closed')); });
  }
  parse() {
    for (;;) {
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) return;
      const line = this.buf.subarray(0, eol).toString('latin1');
      let consumed = eol + 2; let body = null;
      if (line.startsWith('RESERVED ') || line.startsWith('FOUND ') || line.startsWith('OK ')) {
        const bytes = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (this.buf.length < consumed + bytes + 2) return;
        body = this.buf.subarray(consumed, consumed + bytes).toString('utf8');
        consumed += bytes + 2;
      }
      this.buf = this.buf.subarray(consumed);
      const w = this.waiting.shift();
      if (w) w.resolve({ line, body });
    }
  }
  cmd(text) {
    return new Promise((resolve, reject) => { this.waiting.push({ resolve, reject }); this.sock.write(text); });
  }
  async expect(text, prefix) {
    const r = await this.cmd(text);
    if (!r.line.startsWith(prefix)) throw new Error(`beanstalkd: ${text.split('\r\n')[0]} -> ${r.line}`);
    return r;
  }
  put(tube, data) {
    const s = JSON.stringify(data);
    return this.expect(`put 1024 0 300 ${Buffer.byteLength(s)}\r\n${s}\r\n`, 'INSERTED');
  }
  close() { this.sock.destroy(); }
}

export async function create({ fsyncMs }) {
  let server; let dir; let port; const tube = 'bench';
  const conns = [];
  const open = async () => { const c = new Conn(port); conns.push(c); await c.ready; return c; };
  return {
    name: fsyncMs === 0 ? 'beanstalkd-f0' : 'beanstalkd-f50',
    label: fsyncMs === 0 ? 'beanstalkd (binlog, fsync every write: -f 0)' : 'beanstalkd (binlog, fsync at most every 50 ms)',
    hasBatch: false,
    // For the drain, the queue is filled with fsync every 50 ms, then the server is restarted on
    // the same binlog with the policy under test: the jobs are on disk before the clock starts,
    // and filling 200,000 jobs one fsync at a time is not what is measured.
    async start({ workload } = {}) {
      dir = freshDir('beanstalkd');
      port = await freePort();
      this.restartAfterPreload = workload === 'W2' && fsyncMs === 0;
      await this.launch(this.restartAfterPreload ? 50 : fsyncMs);
    },
    async launch(ms) {
      const args = ['-l', '127.0.0.1', '-p', String(port), '-b', dir];
      if (ms === 0) args.push('-f', '0');
      server = startServer('beanstalkd', 'beanstalkd', args);
      await waitForPort(port, 120000);
    },
    async afterPreload() {
      if (!this.restartAfterPreload) return;
      for (const c of conns.splice(0)) c.close();
      await stopServer(server);
      await this.launch(fsyncMs);
    },
    producer() {
      let c = null;
      const conn = async () => {
        if (!c) { c = open().then(async (x) => { await x.expect(`use ${tube}\r\n`, 'USING'); return x; }); }
        return c;
      };
      return {
        enqueue: async (payload) => (await conn()).put(tube, payload),
        // No batch call in the protocol: the preload for the drain pipelines puts on one connection.
        pipelined: async (payloads) => { const x = await conn(); await Promise.all(payloads.map((p) => x.put(tube, p))); },
        close: async () => { if (c) (await c).close(); },
      };
    },
    async startWorkers({ concurrency, onJob }) {
      let done = 0; let stopping = false; let failure = null;
      const loops = Array.from({ length: concurrency }, async () => {
        const c = await open();
        await c.expect(`watch ${tube}\r\n`, 'WATCHING');
        await c.expect('ignore default\r\n', 'WATCHING');
        while (!stopping) {
          const r = await c.cmd('reserve-with-timeout 1\r\n');
          if (r.line.startsWith('TIMED_OUT')) continue;
          if (!r.line.startsWith('RESERVED ')) throw new Error(`beanstalkd reserve -> ${r.line}`);
          const id = r.line.split(' ')[1];
          onJob(JSON.parse(r.body));
          await c.expect(`delete ${id}\r\n`, 'DELETED');
          done += 1;
        }
        c.close();
      }).map((p) => p.catch((e) => { if (!stopping) failure = failure || e; }));
      return {
        completed: async () => { if (failure) throw failure; return done; },
        stop: async () => { stopping = true; await Promise.race([Promise.all(loops), sleep(3000)]); },
      };
    },
    async stop() {
      for (const c of conns.splice(0)) c.close();
      await stopServer(server);
      if (dir) rmDir(dir);
    },
  };
}
