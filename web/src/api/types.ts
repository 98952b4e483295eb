// The shapes of the API's JSON that the dashboard reads (docs/api.md). Fields the server may not
// send yet (stages, eta_s, the dependency fields: newer servers) are optional.

// In the order of a job's life, so lists and tables read left to right; `waiting` (for parents)
// comes before `queued` here although the server's counts objects send it last.
export const JOB_STATES = ["waiting", "queued", "scheduled", "running", "retrying", "completed", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobError {
  code: string;
  message: string;
  retryable?: boolean;
}

export interface Progress {
  percent?: number | null;
  stage?: string | null;
  message?: string | null;
  current?: number | null;
  total?: number | null;
}

export interface Stage {
  name: string;
  status: "pending" | "running" | "done" | string;
  started_at?: string | null;
  ended_at?: string | null;
}

export interface Attempt {
  attempt: number;
  started_at: string | null;
  ended_at: string | null;
  worker_id: string;
  outcome: string;
  error: JobError | null;
}

// How a parent ended, as its child is given it when the last parent ends. status is null for a
// parent deleted before then.
export interface ParentOutcome {
  id: string;
  status: "completed" | "failed" | "cancelled" | null;
  result?: unknown;
}

export interface Job {
  id: string;
  type: string;
  queue: string;
  payload?: unknown;
  priority: number;
  status: JobState;
  attempt: number;
  max_attempts: number;
  run_at: string;
  timeout_s?: number;
  max_run_s?: number | null;
  progress: Progress | null;
  checkpoint?: unknown;
  result?: unknown;
  error: JobError | null;
  attempts?: Attempt[];
  owner: string | null;
  idempotency_key?: string | null;
  metadata?: unknown;
  trace_id?: string | null;
  cancel_requested: boolean;
  lease_expires_at: string | null;
  worker_id: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
  stages?: Stage[] | null;
  eta_s?: number | null;
  depends_on?: string[];
  on_parent_failure?: "cancel" | "run" | null;
  parents_left?: number;
  parents?: ParentOutcome[]; // [] until the last parent ended; left out of list summaries
  batch?: string | null;
  // GET /api/v1/jobs/{id} only: why a job that has not ended is not running yet.
  not_ready?: NotReady | null;
}

export interface NotReady {
  code: string; // parents | scheduled | retrying | queue_paused | concurrency_limit | rate_limit
  message: string;
}

export interface JobPage {
  jobs: Job[];
  next_cursor?: string;
  // With count=1: the matches, counted up to a bound; total_exact false means "more than total".
  total?: number;
  total_exact?: boolean;
}

export const BULK_ACTIONS = ["retry", "cancel", "delete"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

// POST /api/v1/jobs/bulk's reply: a dry run's would_change, or a run's changed and skipped.
export interface BulkReply {
  action: BulkAction;
  dry_run: boolean;
  matched: number;
  would_change?: number;
  changed?: number;
  skipped?: number;
}

export type StateCounts = Partial<Record<JobState, number>>;

export type BatchState = "active" | "succeeded" | "failed";

// GET /api/v1/batches/{id}: the batch's own jobs counted; on_success and on_complete are job ids.
export interface Batch {
  id: string;
  state: BatchState;
  total: number;
  counts: StateCounts;
  owner: string | null;
  created_at: string;
  on_success: string | null;
  on_complete: string | null;
}

export interface Queue {
  name: string;
  paused: boolean;
  counts: StateCounts;
}

// One message of the event stream (GET /api/v1/events): the change and the job's fields after it.
export interface JobEvent {
  kind: string;
  seq: number;
  job_id: string;
  queue: string;
  type: string;
  owner?: string | null;
  priority?: number;
  status: JobState;
  attempt?: number;
  worker_id?: string | null;
  progress?: Progress | null;
  error?: JobError | null;
  at?: string;
}

export interface HealthCheck {
  name: string;
  status: "healthy" | "degraded" | "unhealthy" | string;
  value?: unknown;
  threshold?: unknown;
  message: string;
}

export interface Health {
  status: "healthy" | "degraded" | "unhealthy" | string;
  checks: HealthCheck[];
}

// GET /api/v1/stats. Read defensively: every part may be missing.
export interface Stats {
  window?: string;
  success_rate?: number | null;
  counts?: {
    queues?: Record<string, StateCounts>;
    types?: Record<string, StateCounts>;
    priorities?: Record<string, StateCounts>;
  };
  series?: unknown;
  queue_wait?: Record<string, unknown>; // read through stats_shape.timingOf
  run_time?: Record<string, unknown>;
  errors?: { code: string; message: string; count: number; last_seen?: string; types?: string[] }[];
  oldest_ready_age_s?: Record<string, number | null>;
  workers?: unknown;
}
