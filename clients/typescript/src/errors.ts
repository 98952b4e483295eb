// Typed errors. Every failed call rejects with a CorralError whose `code` is the server's stable
// error code (docs/api.md, "Errors"), or one of the client's own codes for what never reached a
// reply: `network_error`, `timeout`, `unexpected_response`. The subclasses group the codes a
// caller handles alike, so `instanceof` picks the branch and `code` the detail.

import type { Job } from "./types.js";

export interface CorralErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

export class CorralError extends Error {
  /** The HTTP status, or 0 when no reply came. */
  readonly status: number;
  /** The server's stable error code, e.g. `not_found`, `stale_lease`, `too_many_streams`. */
  readonly code: string;
  /** The reply's `X-Request-Id`, which the server logs with the request. */
  readonly requestId: string | undefined;
  /** The reply's `Retry-After`, in milliseconds, when it had one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: CorralErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Whether sending the same request again later may succeed. */
  get retryable(): boolean {
    return false;
  }
}

/** 400, 405, 413, 415, 431: the request itself is wrong; sending it again will not help. */
export class InvalidArgumentError extends CorralError {}

/** 404 `not_found`: no job with that id (or no such route). */
export class NotFoundError extends CorralError {}

/** 409: the job's state or lease does not allow the operation. */
export class ConflictError extends CorralError {}

/** 409 `wrong_state`: e.g. cancelling a completed job, retrying one that has not ended. */
export class WrongStateError extends ConflictError {}

/**
 * 409 `stale_lease` or `run_time_exceeded`: the lease is no longer the worker's (it expired, the
 * job was handed to someone else, or the attempt ran past `max_run_s`).
 */
export class StaleLeaseError extends ConflictError {}

/**
 * 503 (`storage_unavailable`, `storage_full`, `shutting_down`, `too_many_long_polls`,
 * `too_many_streams`, `too_many_connections`) or no reply at all (`network_error`): try later.
 */
export class UnavailableError extends CorralError {
  override get retryable(): boolean {
    return true;
  }
}

/**
 * 429 `rate_limited`: this API key sent more requests than its rate limit allows; nothing was
 * done. Retryable: `retryAfterMs` says when the key may send again.
 */
export class RateLimitedError extends CorralError {
  override get retryable(): boolean {
    return true;
  }
}

/** A wait ran out before the job ended; `job` is the job as last seen, when there was a reply. */
export class TimeoutError extends CorralError {
  readonly job: Job | undefined;

  constructor(message: string, job?: Job) {
    super({ status: 0, code: "timeout", message });
    this.job = job;
  }
}

const kClasses: Record<string, typeof CorralError> = {
  invalid_argument: InvalidArgumentError,
  invalid_json: InvalidArgumentError,
  unsupported_media_type: InvalidArgumentError,
  payload_too_large: InvalidArgumentError,
  method_not_allowed: InvalidArgumentError,
  not_found: NotFoundError,
  wrong_state: WrongStateError,
  stale_lease: StaleLeaseError,
  run_time_exceeded: StaleLeaseError,
  storage_full: UnavailableError,
  storage_unavailable: UnavailableError,
  shutting_down: UnavailableError,
  too_many_connections: UnavailableError,
  too_many_streams: UnavailableError,
  too_many_long_polls: UnavailableError,
  network_error: UnavailableError,
  rate_limited: RateLimitedError,
};

/** The error class for a code; unknown codes fall back on the status class. */
export function errorFor(init: CorralErrorInit): CorralError {
  const known = kClasses[init.code];
  if (known) return new known(init);
  if (init.status === 503 || init.status === 502 || init.status === 504) return new UnavailableError(init);
  if (init.status === 429) return new RateLimitedError(init);
  if (init.status === 409) return new ConflictError(init);
  if (init.status === 404) return new NotFoundError(init);
  if (init.status >= 400 && init.status < 500) return new InvalidArgumentError(init);
  return new CorralError(init);
}

/**
 * Thrown by a worker's handler to fail the job for good: no retry, whatever attempts are left.
 * Any error with `retryable: false` has the same effect.
 */
export class PermanentError extends Error {
  readonly code: string;
  readonly retryable = false;

  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PermanentError";
    this.code = options?.code ?? "error";
  }
}

/** The reason a handler's `ctx.signal` aborts; `reason` says which. */
export class JobAbortedError extends Error {
  readonly reason: "cancelled" | "lease_lost" | "shutdown";

  constructor(reason: "cancelled" | "lease_lost" | "shutdown", message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "JobAbortedError";
    this.reason = reason;
  }
}
