// The API's JSON shapes, field for field as docs/api.md gives them. Request bodies keep the
// server's snake_case names so that what a caller writes is what goes on the wire.

export type JobStatus =
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
  | "pruned";

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
