// Worker: fetches jobs of its queues with long-polls and runs each with the handler of its type,
// up to `concurrency` at once. Each job is a JobRun, which owns the lease from fetch to report.
// Each fetch asks for as many jobs as there are free slots, and completions ready together go
// in one request (completions.ts), so a plain worker gets the speed of batched calls.
//
// stop() stops fetching (aborting the waiting long-poll), lets the running jobs finish within the
// grace period, then releases the rest with their last checkpoint. A fetch aborted just as the
// server leased a job loses that reply; the job's lease then expires and it runs again, which is
// the server's guarantee for any worker that vanishes.

import { Client, type ClientOptions } from "./client.js";
import { CompletionBatcher } from "./completions.js";
import { CorralError } from "./errors.js";
import { type Handler, JobRun, type RunOutcome } from "./job_run.js";
import { Backoff, type BackoffOptions, sleep } from "./timing.js";
import type { Job, LeasedJob } from "./types.js";

export interface WorkerOptions extends Partial<ClientOptions> {
  /** A client to share; otherwise one is made from `url`, `token`, `headers`, `fetch`. */
  client?: Client;
  /** Queues to fetch from, in order of preference (default ["default"]). */
  queues?: string[];
  /** Jobs run at once (default 1). */
  concurrency?: number;
  /** Recorded with each attempt (default a random `ts-` id). */
  workerId?: string;
  /** Seconds each fetch waits on the server for work (default 30, at most 60). */
  waitS?: number;
  /** Lease length asked for at fetch (default: each job's `timeout_s`). */
  leaseS?: number;
  /** Time between heartbeats (default a third of the lease, at most 10 s, so a cancel arrives soon). */
  heartbeatIntervalMs?: number;
  /** Longest a progress report or checkpoint waits for its heartbeat (default 1000 ms). */
  reportIntervalMs?: number;
  /** Delays after a failed fetch (default 250 ms doubling to 30 s, with jitter). */
  backoff?: BackoffOptions;
  /** Told of errors the worker handles itself (failed fetches, heartbeats, reports); default console.error. */
  onError?: (error: unknown, job?: Job) => void;
}

export interface StopOptions {
  /** How long running jobs may take to finish before they are released (default 30000 ms). */
  graceMs?: number;
}

export interface StopReport {
  /** Jobs whose handlers finished within the grace period. */
  finished: number;
  /** Jobs released when it ran out. */
  released: number;
}

export class Worker {
  readonly client: Client;
  readonly workerId: string;
  private readonly options: WorkerOptions;
  private readonly handlers = new Map<string, Handler>();
  private readonly active = new Map<JobRun, Promise<RunOutcome>>();
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping: Promise<StopReport> | undefined;
  private slotFreed: () => void = () => {};
  private readonly completions: CompletionBatcher;

  constructor(options: WorkerOptions) {
    if (options.client) this.client = options.client;
    else if (options.url !== undefined) this.client = new Client({ ...options, url: options.url });
    else throw new TypeError("Worker needs a client or a url");
    this.completions = new CompletionBatcher(this.client);
    this.options = options;
    this.workerId = options.workerId ?? `ts-${Math.random().toString(16).slice(2, 10)}`;
  }

  /** Registers the handler for a job type: its return value completes the job, a throw fails it. */
  handle(type: string, handler: Handler): this {
    this.handlers.set(type, handler);
    return this;
  }

  /** Jobs running now. */
  get running(): number {
    return this.active.size;
  }

  /** Starts fetching; resolves at once. Calling it again does nothing. */
  start(): void {
    if (this.stopping) throw new Error("a stopped worker cannot start again");
    this.loop ??= this.fetchLoop();
  }

  /** Stops fetching, waits up to `graceMs` for running jobs, then releases the rest. */
  stop(options: StopOptions = {}): Promise<StopReport> {
    this.stopping ??= this.drain(options.graceMs ?? 30_000);
    return this.stopping;
  }

  private async drain(graceMs: number): Promise<StopReport> {
    this.stopController.abort();
    await this.loop;
    const atStop = [...this.active.entries()];
    const grace = new AbortController();
    await Promise.race([Promise.all(atStop.map(([, done]) => done)), sleep(graceMs, grace.signal).catch(() => {})]);
    grace.abort();
    // A run still in `active` has a handler that has not returned; release() waits for the
    // report instead if the handler has just begun one.
    const outcomes = await Promise.all(atStop.map(([run, done]) => (this.active.has(run) ? run.release() : done)));
    return {
      finished: outcomes.filter((o) => o === "completed" || o === "failed").length,
      released: outcomes.filter((o) => o === "released").length,
    };
  }

  private async fetchLoop(): Promise<void> {
    const stopSignal = this.stopController.signal;
    const concurrency = Math.max(1, this.options.concurrency ?? 1);
    const backoff = new Backoff(this.options.backoff);
    while (!stopSignal.aborted) {
      if (this.active.size >= concurrency) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stopSignal.removeEventListener("abort", done);
            resolve();
          };
          this.slotFreed = done;
          stopSignal.addEventListener("abort", done, { once: true });
        });
        continue;
      }
      let jobs: LeasedJob[];
      try {
        jobs = await this.client.fetchJobs(
          {
            queues: this.options.queues ?? ["default"],
            worker_id: this.workerId,
            count: Math.min(100, concurrency - this.active.size),
            wait_s: this.options.waitS ?? 30,
            ...(this.options.leaseS !== undefined && { lease_s: this.options.leaseS }),
          },
          { signal: stopSignal },
        );
        backoff.reset();
      } catch (e) {
        if (stopSignal.aborted) break;
        this.reportError(e);
        await sleep(backoff.next(e instanceof CorralError ? e.retryAfterMs : undefined), stopSignal).catch(() => {});
        continue;
      }
      for (const job of jobs) this.launch(job);
    }
  }

  private launch(job: LeasedJob): void {
    const leaseMs = (this.options.leaseS ?? job.timeout_s) * 1000;
    const run = new JobRun(this.client, job, {
      complete: (id, request) => this.completions.complete(id, request),
      leaseMs,
      heartbeatMs: this.options.heartbeatIntervalMs ?? Math.min(leaseMs / 3, 10_000),
      reportMs: this.options.reportIntervalMs ?? 1_000,
      onError: (e, j) => this.reportError(e, j),
    });
    const handler = this.handlers.get(job.type) ?? this.missingHandler(job.type);
    const done = run.run(handler);
    this.active.set(run, done);
    void done.finally(() => {
      this.active.delete(run);
      this.slotFreed();
    });
  }

  // A job of a type this worker has no handler for fails retryably: it stays visible, and a
  // worker that has the handler may take a later attempt.
  private missingHandler(type: string): Handler {
    return () => {
      const error = new Error(`worker ${this.workerId} has no handler for job type ${type}`);
      throw Object.assign(error, { code: "no_handler" });
    };
  }

  private reportError(error: unknown, job?: Job): void {
    if (this.options.onError) this.options.onError(error, job);
    else console.error(`corral worker ${this.workerId}${job ? ` (job ${job.id})` : ""}:`, error);
  }
}
