// Following a job with the server's long-poll, `GET /api/v1/jobs/{id}?wait=S`: each request
// waits on the server until the job ends (or, with `progress=1&updated_after=T`, until it changes
// after the reply in hand), so the client never spins. Used by waitForJob, and by watchJob when
// it cannot stream.

import { CorralError, TimeoutError } from "./errors.js";
import type { Transport } from "./http.js";
import { Backoff, type BackoffOptions, sleep } from "./timing.js";
import { isTerminal, type Job } from "./types.js";

// The server allows up to 60 s; 30 s keeps each request well inside common proxy timeouts.
const kMaxWaitS = 30;

export interface PollOptions {
  /** Date.now() value by which the job must have ended; Infinity for none. */
  deadline: number;
  signal?: AbortSignal | undefined;
  /** Answer on progress changes too (`progress=1`), not only on the end. */
  progress: boolean;
  /** Called with each reply that shows a change (by `updated_at`). */
  onJob?: ((job: Job) => void) | undefined;
  /** Give up after this many failed requests in a row (default 10). */
  maxConsecutiveErrors?: number | undefined;
  backoff?: BackoffOptions | undefined;
}

export async function pollJob(transport: Transport, id: string, options: PollOptions): Promise<Job> {
  const backoff = new Backoff(options.backoff);
  const maxErrors = options.maxConsecutiveErrors ?? 10;
  const path = `/api/v1/jobs/${encodeURIComponent(id)}`;
  let last: Job | undefined;
  for (;;) {
    const remainingMs = options.deadline - Date.now();
    if (remainingMs <= 0) throw new TimeoutError(`job ${id} did not end in time`, last);
    // Following progress, the first request takes the job as it is; each later one waits for a
    // change after the updated_at in hand, so a report that lands between two requests answers
    // the next one at once.
    const waitS = options.progress && last === undefined ? 0 : Math.min(kMaxWaitS, Math.floor(remainingMs) / 1000);
    const waitsForChange = options.progress && last !== undefined && waitS > 0;
    const started = Date.now();
    let job: Job;
    try {
      job = await transport.json<Job>("GET", path, {
        query: waitsForChange ? { wait: waitS, progress: 1, updated_after: last?.updated_at } : { wait: waitS },
        signal: options.signal,
        waitMs: waitS * 1000,
      });
    } catch (e) {
      if (options.signal?.aborted || !(e instanceof CorralError) || !e.retryable) throw e;
      if (backoff.count + 1 >= maxErrors) throw e;
      await sleep(Math.min(backoff.next(e.retryAfterMs), remainingMs), options.signal);
      continue;
    }
    const changed = last === undefined || job.updated_at !== last.updated_at;
    last = job;
    if (changed) options.onJob?.(job);
    if (isTerminal(job.status)) return job;
    // A reply long before its wait ran out that shows nothing new (a server that is shutting
    // down answers every wait at once) must not turn this loop into a busy one.
    if (!changed && Date.now() - started < (waitS * 1000) / 2) {
      await sleep(Math.min(backoff.next(), options.deadline - Date.now()), options.signal);
    } else {
      backoff.reset();
    }
  }
}
