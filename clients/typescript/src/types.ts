// The API's JSON shapes, field for field as docs/api.md gives them. Request bodies keep the
// server's snake_case names so that what a caller writes is what goes on the wire.

export type JobStatus =
  | "waiting"
  | "queued"
  | "scheduled"
  | "running"
  | "retrying"
  | "completed"
  | "failed"
  | "cancelled";

export const TERMINAL_STATUSES: readonly JobStatus[] = ["completed", "failed", "cancelled"];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Any JSON value: payloads, results, checkpoints and metadata are shaped by the application. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Backoff {
  initial_s: number;
  multiplier: number;
  max_s: number;
  jitter: number;
}

export interface Progress {
  percent: number | null;
  stage: string | null;
  message: string | null;
  current: number | null;
  total: number | null;
}

/** What a worker reports: each field left out keeps its stored value, `null` clears it. */
export type ProgressReport = Partial<Progress>;

export interface JobError {
  code: string;
  message: string;
  retryable: boolean;
}

export type AttemptOutcome =
  | "running"
  | "completed"
  | "failed"
  | "lease_expired"
  | "timed_out"
  | "released"
  | "cancelled";

export interface Attempt {
  attempt: number;
  started_at: string;
  ended_at: string | null;
  worker_id: string;
  outcome: AttemptOutcome;
  error: JobError | null;
}

export interface Stage {
  name: string;
  status: "pending" | "running" | "done";
  started_at: string | null;
  ended_at: string | null;
}

export interface Job {
  id: string;
  type: string;
  queue: string;
  payload: Json;
  priority: number;
  status: JobStatus;
  attempt: number;
  max_attempts: number;
  run_at: string;
  timeout_s: number;
  max_run_s: number | null;
  backoff: Backoff;
  retryable: boolean;
  progress: Progress | null;
  stages: Stage[];
  eta_s: number | null;
  checkpoint: Json;
  result: Json;
  error: JobError | null;
  attempts: Attempt[];
  owner: string | null;
  idempotency_key: string | null;
  metadata: { [key: string]: Json } | null;
  trace_id: string | null;
  cancel_requested: boolean;
  lease_expires_at: string | null;
  worker_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  /** The ids of the jobs it waits for; `[]` if none. */
  depends_on: string[];
  /** What a parent's failure or cancel does to it; `null` without `depends_on`. */
  on_parent_failure: OnParentFailure | null;
  /** How many parents have not ended yet, while `waiting`; 0 otherwise. */
  parents_left: number;
  /**
   * How each parent ended, in `depends_on`'s order, given when the last one ended; `[]` until
   * then. Left out of list summaries.
   */
  parents?: ParentOutcome[];
  /** The named batch it was enqueued in; `null` if none. */
  batch: string | null;
}

/**
 * `cancel` (the default): a parent that fails for good or is cancelled cancels the job with
 * error code `parent_failed`; `run`: it runs once every parent has ended, however they ended.
 */
export type OnParentFailure = "cancel" | "run";

export interface ParentOutcome {
  id: string;
  /** `null` for a parent deleted before the last one ended. */
  status: "completed" | "failed" | "cancelled" | null;
  result: Json;
}

/** A job as a fetch hands it out: with the token of its new lease. */
export interface LeasedJob extends Job {
  lease_token: string;
}

// Request values the application shapes (payload, result, checkpoint, metadata) are `unknown`:
// anything JSON.stringify can write, typed by the application's own interfaces.
export interface EnqueueRequest {
  type: string;
  queue?: string;
  payload?: unknown;
  priority?: number | "low" | "normal" | "high";
  run_at?: string;
  delay_s?: number;
  max_attempts?: number;
  timeout_s?: number;
  max_run_s?: number;
  backoff?: Partial<Backoff>;
  retryable?: boolean;
  idempotency_key?: string;
  owner?: string;
  metadata?: Record<string, unknown>;
  /** Jobs that must end first: the job waits in `waiting` until they have. */
  depends_on?: string[];
  on_parent_failure?: OnParentFailure;
}

/** The `batch` part of `POST /api/v1/jobs/batch`: names the batch, and jobs to run at its end. */
export interface BatchRequest {
  /** The batch's name; without it the server names it. A name already taken is a 409 `already_exists`. */
  id?: string;
  /** Runs once every job of the batch has completed; cancelled as soon as one fails for good or is cancelled. */
  on_success?: EnqueueRequest;
  /** Runs once every job of the batch has ended, however. */
  on_complete?: EnqueueRequest;
}

/** A job named by its id and status: each job of `enqueueBatchRefs`'s reply. */
export interface JobRef {
  id: string;
  status: JobStatus;
}

/** The reply to a batch enqueue that named a batch. */
export interface BatchEnqueueReply {
  jobs: Job[];
  batch: { id: string; on_success: Job | null; on_complete: Job | null };
}

export type BatchState = "active" | "succeeded" | "failed";

/** GET /api/v1/batches/{id}: the batch's own jobs counted (not its on_success and on_complete jobs). */
export interface BatchInfo {
  id: string;
  /** `active` while any of its jobs has not ended, then `succeeded` if all completed, else `failed`. */
  state: BatchState;
  total: number;
  counts: QueueCounts;
  owner: string | null;
  created_at: string;
  on_success: string | null;
  on_complete: string | null;
}

export interface ListFilters {
  status?: JobStatus;
  queue?: string;
  type?: string;
  owner?: string;
  /** 1..1000 jobs per page; the server's default is 50. */
  limit?: number;
  cursor?: string;
}

export interface JobPage {
  jobs: Job[];
  /** Present only when more jobs follow; pass it back with the same filters. */
  next_cursor?: string;
}

export interface FetchRequest {
  queues?: string[];
  worker_id?: string;
  count?: number;
  wait_s?: number;
  lease_s?: number;
}

export interface HeartbeatRequest {
  lease_token: string;
  progress?: ProgressReport;
  checkpoint?: unknown;
  extend_s?: number;
}

export interface CompleteRequest {
  lease_token: string;
  result?: unknown;
  progress?: ProgressReport;
}

/** One completion of `POST /api/v1/complete`. */
export interface CompleteBatchItem extends CompleteRequest {
  id: string;
}

/** The answer for one completion of a batch: `status` when it counted, else `error`. */
export interface CompleteBatchResult {
  id: string;
  status?: string;
  error?: { code: string; message: string };
}

export interface FailRequest {
  lease_token: string;
  error?: Partial<JobError>;
  retry_in_s?: number;
}

export interface ReleaseRequest {
  lease_token: string;
  delay_s?: number;
}

export interface QueueCounts {
  queued: number;
  scheduled: number;
  running: number;
  retrying: number;
  completed: number;
  failed: number;
  cancelled: number;
  waiting: number;
}

export interface QueueInfo {
  name: string;
  paused: boolean;
  counts: QueueCounts;
}

export type JobEventKind =
  | "enqueued"
  | "scheduled"
  | "ready"
  | "started"
  | "progress"
  | "heartbeat"
  | "cancel_requested"
  | "released"
  | "retrying"
  | "completed"
  | "failed"
  | "cancelled"
  | "lease_expired"
  | "timed_out"
  | "retried"
  | "deleted"
  | "pruned"
  /** A new job that waits for its parents. */
  | "waiting"
  /** One of its parents ended; others are left (`parents_left` on the job). */
  | "parent_ended";

/** One committed change to a job, as the event streams send it. */
export interface JobEvent {
  kind: JobEventKind;
  seq: number;
  job_id: string;
  queue: string;
  type: string;
  owner: string | null;
  priority: number;
  status: JobStatus;
  attempt: number;
  worker_id: string | null;
  trace_id: string | null;
  at: string;
  progress?: Progress | null;
  result?: Json;
  error?: JobError;
  run_at?: string;
  queue_wait_s?: number;
  run_time_s?: number;
}

/** The event kinds after which a job's stream ends. */
export const FINAL_EVENT_KINDS: readonly JobEventKind[] = [
  "completed",
  "failed",
  "cancelled",
  "deleted",
  "pruned",
];
