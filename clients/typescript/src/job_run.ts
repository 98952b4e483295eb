// One leased job inside a Worker: runs its handler, keeps its lease alive, carries its reports,
// and sends exactly one of complete, fail or release at the end.
//
// Heartbeats go out every `heartbeatMs` on their own, so a handler that never reports keeps its
// lease. Progress and checkpoints are held and sent with the next heartbeat, which comes early
// (within `reportMs`) when there is something to send; `{ now: true }` sends at once. A
// heartbeat reply with `cancel_requested`, or a 409/404 that says the lease is gone, aborts
// `ctx.signal`. The report at the end goes to whichever claims it first: the handler's outcome,
// the worker's shutdown (release), or the loss of the lease (nothing to send).

import type { Client } from "./client.js";
import { CorralError, JobAbortedError, NotFoundError, PermanentError, StaleLeaseError } from "./errors.js";
import { Backoff, sleep } from "./timing.js";
import type { CompleteRequest, Job, JobError, LeasedJob, ProgressReport } from "./types.js";

export interface ReportOptions {
  /** Send at once instead of with the next heartbeat; the promise settles when it is saved. */
  now?: boolean;
}

/** What a handler gets besides the job. */
export interface JobContext {
  /** The job as fetched. `job.checkpoint` is the last checkpoint saved, by an earlier attempt too. */
  readonly job: LeasedJob;
  /** Aborts when the job is cancelled, its lease is lost, or the worker stops past its grace. */
  readonly signal: AbortSignal;
  /** True once a heartbeat reply said `cancel_requested`. */
  readonly cancelled: boolean;
  /** Merged into the job's progress: a field left out keeps its value, `null` clears it. */
  progress(report: ProgressReport, options?: ReportOptions): Promise<void>;
  /** Replaces the job's checkpoint, which the next attempt sees as `job.checkpoint`. */
  checkpoint(value: unknown, options?: ReportOptions): Promise<void>;
}

export type Handler = (job: LeasedJob, ctx: JobContext) => unknown;

export interface RunSettings {
  /** Sends the completion (the worker's CompletionBatcher, which batches it with others). */
  complete: (id: string, request: CompleteRequest) => Promise<unknown>;
  heartbeatMs: number;
  leaseMs: number;
  reportMs: number;
  onError: (error: unknown, job: LeasedJob) => void;
}

/** How a run ended, as far as the worker is concerned. */
export type RunOutcome = "completed" | "failed" | "released" | "lost";

export class JobRun implements JobContext {
  readonly job: LeasedJob;
  private readonly controller = new AbortController();
  private cancelRequested = false;
  private pendingProgress: ProgressReport | undefined;
  private pendingCheckpoint: { value: unknown } | undefined;
  private dirtyAt: number | undefined;
  private nextBeat: number;
  private leaseUntil: number;
  private beating = true;
  private wakeLoop: () => void = () => {};
  private chain: Promise<unknown> = Promise.resolve();
  private claimed: Promise<RunOutcome> | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly backoff = new Backoff({ initialMs: 100, maxMs: 5_000 });

  constructor(
    private readonly client: Client,
    job: LeasedJob,
    private readonly settings: RunSettings,
  ) {
    this.job = job;
    this.nextBeat = Date.now() + settings.heartbeatMs;
    this.leaseUntil = Date.now() + settings.leaseMs;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get cancelled(): boolean {
    return this.cancelRequested;
  }

  progress(report: ProgressReport, options: ReportOptions = {}): Promise<void> {
    this.pendingProgress = { ...this.pendingProgress, ...report };
    return this.reported(options);
  }

  checkpoint(value: unknown, options: ReportOptions = {}): Promise<void> {
    this.pendingCheckpoint = { value };
    return this.reported(options);
  }

  /** Runs the handler to its end and sends the report; resolves with how the run ended. */
  async run(handler: Handler): Promise<RunOutcome> {
    this.loopDone = this.heartbeatLoop();
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await handler(this.job, this) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    return this.claim(async () => {
      await this.stopBeating();
      if (outcome.ok) {
        const progress = this.takeProgress();
        await this.report(() =>
          this.settings.complete(this.job.id, { lease_token: this.job.lease_token, result: outcome.result ?? null, progress }),
        );
        return "completed";
      }
      await this.saveReports();
      const error = failureOf(outcome.error);
      await this.report(() => this.client.fail(this.job.id, { lease_token: this.job.lease_token, error }));
      return "failed";
    });
  }

  /**
   * Hands the job back for a worker that is stopping: aborts the handler, saves the last
   * progress and checkpoint with a heartbeat (a release carries neither), then releases. If the
   * handler's own report has begun, waits for that instead.
   */
  release(): Promise<RunOutcome> {
    return this.claim(async () => {
      this.abort(new JobAbortedError("shutdown", "the worker is stopping; the job is released"));
      await this.stopBeating();
      await this.saveReports();
      await this.report(() => this.client.release(this.job.id, { lease_token: this.job.lease_token }));
      return "released";
    });
  }

  // The first caller sends the report; later ones get its outcome.
  private claim(send: () => Promise<RunOutcome>): Promise<RunOutcome> {
    this.claimed ??= send().catch((e: unknown) => {
      if (!isLeaseLost(e)) this.settings.onError(e, this.job);
      return "lost" as const;
    });
    return this.claimed;
  }

  private reported(options: ReportOptions): Promise<void> {
    if (options.now) return this.beat(true);
    this.dirtyAt ??= Date.now();
    this.wakeLoop();
    return Promise.resolve();
  }

  // Sleeps until the next heartbeat is due, and works the due time out again whenever it wakes:
  // a report may have brought it forward, a heartbeat sent at once may have put it back.
  private async heartbeatLoop(): Promise<void> {
    while (this.beating) {
      const due = Math.min(this.nextBeat, this.dirtyAt === undefined ? Infinity : this.dirtyAt + this.settings.reportMs);
      if (Date.now() >= due) {
        await this.beat(false);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, due - Date.now());
        this.wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async stopBeating(): Promise<void> {
    this.beating = false;
    this.wakeLoop();
    await this.loopDone;
    await this.chain.catch(() => {});
  }

  // One heartbeat with whatever is pending, after any in flight. With `strict` a failure
  // rejects; otherwise a transient one is retried sooner, and a lost lease aborts the handler.
  private beat(strict: boolean): Promise<void> {
    const send = async () => {
      if (this.claimed !== undefined) {
        if (strict) throw new JobAbortedError("lease_lost", `the run of job ${this.job.id} has ended`);
        this.beating = false;
        return;
      }
      try {
        const reply = await this.sendHeartbeat();
        this.nextBeat = Date.now() + this.settings.heartbeatMs;
        this.backoff.reset();
        if (reply.cancel_requested && !this.cancelRequested) {
          this.cancelRequested = true;
          this.abort(new JobAbortedError("cancelled", `job ${this.job.id} was cancelled`));
        }
      } catch (e) {
        if (isLeaseLost(e)) {
          this.beating = false;
          this.wakeLoop();
          this.abort(new JobAbortedError("lease_lost", `job ${this.job.id} lost its lease: ${(e as Error).message}`, { cause: e }));
          void this.claim(async () => "lost");
        } else {
          this.nextBeat = Date.now() + Math.min(this.backoff.next(retryAfter(e)), this.settings.heartbeatMs);
          if (!strict) this.settings.onError(e, this.job);
        }
        if (strict) throw e;
      }
    };
    const next = this.chain.then(send, send);
    this.chain = next.catch(() => {});
    return next;
  }

  // POSTs a heartbeat carrying what is pending; on failure puts it back, unless newer reports
  // replaced it meanwhile.
  private async sendHeartbeat(): Promise<Job> {
    const progress = this.pendingProgress;
    const checkpoint = this.pendingCheckpoint;
    this.pendingProgress = undefined;
    this.pendingCheckpoint = undefined;
    this.dirtyAt = undefined;
    try {
      const reply = await this.client.heartbeat(this.job.id, {
        lease_token: this.job.lease_token,
        ...(progress && { progress }),
        ...(checkpoint && { checkpoint: checkpoint.value }),
      });
      this.leaseUntil = Date.now() + this.settings.leaseMs;
      return reply;
    } catch (e) {
      // (Reports made while the request was in flight are newer, so they win.)
      const newer = this.pendingProgress as ProgressReport | undefined;
      if (progress) this.pendingProgress = { ...progress, ...newer };
      this.pendingCheckpoint ??= checkpoint;
      throw e;
    }
  }

  // A fail or release carries no checkpoint, so what is pending goes first, on a heartbeat.
  private async saveReports(): Promise<void> {
    if (this.pendingCheckpoint === undefined && this.pendingProgress === undefined) return;
    await this.report(() => this.sendHeartbeat());
  }

  private takeProgress(): ProgressReport | undefined {
    const progress = this.pendingProgress;
    this.pendingProgress = undefined;
    return progress;
  }

  // Sends a report, again on transient failures while the lease may still be live: resending
  // the report that won is safe (the server answers 200 and changes nothing).
  private async report<T>(send: () => Promise<T>): Promise<T> {
    const backoff = new Backoff({ initialMs: 100, maxMs: 2_000 });
    for (;;) {
      try {
        return await send();
      } catch (e) {
        if (!(e instanceof CorralError) || !e.retryable || Date.now() >= this.leaseUntil) throw e;
        await sleep(Math.min(backoff.next(e.retryAfterMs), Math.max(0, this.leaseUntil - Date.now())));
      }
    }
  }

  private abort(reason: JobAbortedError): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}

function isLeaseLost(e: unknown): boolean {
  return e instanceof StaleLeaseError || e instanceof NotFoundError;
}

function retryAfter(e: unknown): number | undefined {
  return e instanceof CorralError ? e.retryAfterMs : undefined;
}

/** The fail body's error for what a handler threw. */
export function failureOf(thrown: unknown): JobError {
  const fields = (typeof thrown === "object" && thrown !== null ? thrown : {}) as {
    code?: unknown;
    retryable?: unknown;
  };
  const retryable = !(thrown instanceof PermanentError) && fields.retryable !== false;
  let code = "error";
  if (typeof fields.code === "string" && fields.code) code = fields.code;
  else if (thrown instanceof JobAbortedError) code = thrown.reason;
  else if (thrown instanceof Error && thrown.name && thrown.name !== "Error") code = thrown.name;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { code, message, retryable };
}
