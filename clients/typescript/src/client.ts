// Client: one method per endpoint of docs/api.md, taking and returning the API's JSON shapes,
// plus the waiting helpers (waitForJob, watchJob) and a pager (iterateJobs). The lease calls
// (fetchJobs, heartbeat, complete, fail, release) are what Worker is built on, public for
// callers who run their own loop.

import { Transport, type TransportOptions } from "./http.js";
import { pollJob } from "./long_poll.js";
import type { BackoffOptions } from "./timing.js";
import type {
  BatchEnqueueReply,
  BatchInfo,
  BatchRequest,
  CompleteBatchItem,
  CompleteBatchResult,
  CompleteRequest,
  EnqueueRequest,
  FailRequest,
  FetchRequest,
  HeartbeatRequest,
  Job,
  JobPage,
  JobRef,
  LeasedJob,
  ListFilters,
  QueueInfo,
  ReleaseRequest,
} from "./types.js";
import { watchJob, type WatchOptions } from "./watch.js";

export type ClientOptions = TransportOptions;

export interface CallOptions {
  signal?: AbortSignal;
}

export interface EnqueueOptions extends CallOptions {
  /** A W3C traceparent header: the job takes its trace id. */
  traceparent?: string;
}

export interface EnqueueBatchOptions extends EnqueueOptions {
  /** Names the batch, with jobs to run at its end; the reply then carries the batch part too. */
  batch?: BatchRequest;
}

export interface WaitOptions extends CallOptions {
  /** Reject with a TimeoutError if the job has not ended by then (default: no limit). */
  timeoutMs?: number;
  /** Give up after this many failed requests in a row (default 10). */
  maxConsecutiveErrors?: number;
  backoff?: BackoffOptions;
}

export class Client {
  /** @internal */
  readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
  }

  /** POST /api/v1/jobs: the new job (or the existing one for a known idempotency key). */
  enqueue(request: EnqueueRequest, options: EnqueueOptions = {}): Promise<Job> {
    return this.transport.json("POST", "/api/v1/jobs", {
      body: request,
      headers: traceHeaders(options),
      signal: options.signal,
    });
  }

  /**
   * POST /api/v1/jobs/batch: all or nothing; the jobs in request order. With `batch` the reply
   * is the server's whole `{jobs, batch}`, so the batch's name and its on_success and on_complete
   * jobs come back too; without it, the jobs alone, as before batches had names.
   */
  enqueueBatch(requests: EnqueueRequest[], options: EnqueueBatchOptions & { batch: BatchRequest }): Promise<BatchEnqueueReply>;
  enqueueBatch(requests: EnqueueRequest[], options?: EnqueueOptions & { batch?: undefined }): Promise<Job[]>;
  enqueueBatch(requests: EnqueueRequest[], options?: EnqueueBatchOptions): Promise<Job[] | BatchEnqueueReply>;
  async enqueueBatch(requests: EnqueueRequest[], options: EnqueueBatchOptions = {}): Promise<Job[] | BatchEnqueueReply> {
    const body = options.batch === undefined ? { jobs: requests } : { jobs: requests, batch: options.batch };
    const reply = await this.transport.json<BatchEnqueueReply>("POST", "/api/v1/jobs/batch", {
      body,
      headers: traceHeaders(options),
      signal: options.signal,
    });
    return options.batch === undefined ? reply.jobs : reply;
  }

  /**
   * POST /api/v1/jobs/batch with `Prefer: return=minimal`: all or nothing, each job as its id and
   * status, in request order (a known idempotency key's job as it is now). For a producer of
   * many jobs: the reply is about a twentieth the size of the whole jobs', and parsed in a
   * fraction of the time.
   */
  async enqueueBatchRefs(requests: EnqueueRequest[], options: EnqueueOptions = {}): Promise<JobRef[]> {
    const reply = await this.transport.json<{ jobs: JobRef[] }>("POST", "/api/v1/jobs/batch", {
      body: { jobs: requests },
      headers: { ...traceHeaders(options), Prefer: "return=minimal" },
      signal: options.signal,
    });
    return reply.jobs;
  }

  /** GET /api/v1/batches/{id}: the batch's jobs counted by state, and its state. */
  getBatch(id: string, options: CallOptions = {}): Promise<BatchInfo> {
    return this.transport.json("GET", `/api/v1/batches/${encodeURIComponent(id)}`, { signal: options.signal });
  }

  /** GET /api/v1/jobs/{id}. */
  getJob(id: string, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("GET", jobPath(id), { signal: options.signal });
  }

  /**
   * The job once it has ended (completed, failed or cancelled), by repeated long-polls
   * (`GET /api/v1/jobs/{id}?wait=S`); rejects with a TimeoutError carrying the job as last seen
   * if `timeoutMs` passes first.
   */
  waitForJob(id: string, options: WaitOptions = {}): Promise<Job> {
    return pollJob(this.transport, id, {
      deadline: options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs,
      signal: options.signal,
      progress: false,
      maxConsecutiveErrors: options.maxConsecutiveErrors,
      backoff: options.backoff,
    });
  }

  /**
   * Follows the job's events until it ends, calling `onEvent` for each; resolves with the job as
   * it ended. See WatchOptions for resuming, fallback and limits.
   */
  watchJob(id: string, options: WatchOptions = {}): Promise<Job> {
    return watchJob(this.transport, id, options);
  }

  /** GET /api/v1/jobs: one page, newest first. */
  listJobs(filters: ListFilters = {}, options: CallOptions = {}): Promise<JobPage> {
    return this.transport.json("GET", "/api/v1/jobs", { query: { ...filters }, signal: options.signal });
  }

  /** Every job that matches, page after page (`for await (const job of client.iterateJobs(...))`). */
  async *iterateJobs(filters: ListFilters = {}, options: CallOptions = {}): AsyncGenerator<Job> {
    let cursor = filters.cursor;
    do {
      const page = await this.listJobs({ ...filters, cursor }, options);
      yield* page.jobs;
      cursor = page.next_cursor;
    } while (cursor);
  }

  /** POST /api/v1/jobs/{id}/cancel: ends a waiting job; asks a running one's worker to stop. */
  cancel(id: string, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/cancel`, { signal: options.signal });
  }

  /** POST /api/v1/jobs/{id}/retry: a failed or cancelled job runs again with a fresh budget. */
  retry(id: string, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/retry`, { signal: options.signal });
  }

  /** DELETE /api/v1/jobs/{id}: only an ended job. */
  async deleteJob(id: string, options: CallOptions = {}): Promise<void> {
    await this.transport.json("DELETE", jobPath(id), { signal: options.signal });
  }

  /** GET /api/v1/queues. */
  async listQueues(options: CallOptions = {}): Promise<QueueInfo[]> {
    const reply = await this.transport.json<{ queues: QueueInfo[] }>("GET", "/api/v1/queues", { signal: options.signal });
    return reply.queues;
  }

  pauseQueue(name: string, options: CallOptions = {}): Promise<QueueInfo> {
    return this.transport.json("POST", `/api/v1/queues/${encodeURIComponent(name)}/pause`, { signal: options.signal });
  }

  resumeQueue(name: string, options: CallOptions = {}): Promise<QueueInfo> {
    return this.transport.json("POST", `/api/v1/queues/${encodeURIComponent(name)}/resume`, { signal: options.signal });
  }

  /** POST /api/v1/fetch: leases up to `count` jobs, waiting up to `wait_s` for one. */
  async fetchJobs(request: FetchRequest = {}, options: CallOptions = {}): Promise<LeasedJob[]> {
    const reply = await this.transport.json<{ jobs: LeasedJob[] }>("POST", "/api/v1/fetch", {
      body: request,
      signal: options.signal,
      waitMs: (request.wait_s ?? 0) * 1000,
    });
    return reply.jobs;
  }

  /** POST /api/v1/jobs/{id}/heartbeat: extends the lease; the reply's `cancel_requested` says whether to stop. */
  heartbeat(id: string, request: HeartbeatRequest, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/heartbeat`, { body: request, signal: options.signal });
  }

  complete(id: string, request: CompleteRequest, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/complete`, { body: request, signal: options.signal });
  }

  /** POST /api/v1/complete: completes many leases in one commit; one answer per item, in order. */
  async completeBatch(jobs: CompleteBatchItem[], options: CallOptions = {}): Promise<CompleteBatchResult[]> {
    const reply = await this.transport.json<{ results: CompleteBatchResult[] }>("POST", "/api/v1/complete", {
      body: { jobs },
      signal: options.signal,
    });
    return reply.results;
  }

  fail(id: string, request: FailRequest, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/fail`, { body: request, signal: options.signal });
  }

  /** POST /api/v1/jobs/{id}/release: hands the job back without using up an attempt. */
  release(id: string, request: ReleaseRequest, options: CallOptions = {}): Promise<Job> {
    return this.transport.json("POST", `${jobPath(id)}/release`, { body: request, signal: options.signal });
  }
}

function jobPath(id: string): string {
  return `/api/v1/jobs/${encodeURIComponent(id)}`;
}

function traceHeaders(options: EnqueueOptions): Record<string, string> | undefined {
  return options.traceparent ? { traceparent: options.traceparent } : undefined;
}
