// Corral's TypeScript client: Client for producers and observers, Worker for consumers.
export {
  Client,
  type CallOptions,
  type ClientOptions,
  type EnqueueBatchOptions,
  type EnqueueOptions,
  type WaitOptions,
} from "./client.js";
export {
  ConflictError,
  CorralError,
  InvalidArgumentError,
  JobAbortedError,
  NotFoundError,
  PermanentError,
  StaleLeaseError,
  TimeoutError,
  UnavailableError,
  RateLimitedError,
  WrongStateError,
} from "./errors.js";
export type { Handler, JobContext, ReportOptions } from "./job_run.js";
export type { BackoffOptions } from "./timing.js";
export * from "./types.js";
export type { GapInfo, WatchEvent, WatchOptions } from "./watch.js";
export { Worker, type StopOptions, type StopReport, type WorkerOptions } from "./worker.js";
