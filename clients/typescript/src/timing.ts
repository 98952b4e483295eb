// Waiting without spinning: abortable sleeps, signals that follow other signals, and retry
// delays that grow exponentially with jitter so that many clients do not retry in step.

export interface BackoffOptions {
  /** The first delay, in milliseconds (default 250). */
  initialMs?: number;
  /** The longest delay (default 30000). */
  maxMs?: number;
  /** Each delay is multiplied by this (default 2). */
  multiplier?: number;
}

/**
 * Delays of initial × multiplier^n, capped, each drawn uniformly from its upper half ("equal
 * jitter"): spread out, yet never much shorter than the schedule. A server's Retry-After wins
 * when it asks for longer.
 */
export class Backoff {
  private failures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
  }

  /** Consecutive failures so far. */
  get count(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(retryAfterMs?: number): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.failures);
    this.failures += 1;
    const delay = ceiling / 2 + (this.random() * ceiling) / 2;
    return Math.max(delay, retryAfterMs ?? 0);
  }

  reset(): void {
    this.failures = 0;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A signal that aborts when any of `signals` does, or after `timeoutMs`; `dispose` detaches it
 * from them (AbortSignal.any is not in Node 18).
 */
export function linkSignals(
  signals: (AbortSignal | undefined)[],
  timeoutMs?: number,
  timeoutReason?: () => unknown,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const cleanups: (() => void)[] = [];
  const dispose = () => cleanups.forEach((f) => f());
  for (const s of signals) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    const onAbort = () => controller.abort(s.reason);
    s.addEventListener("abort", onAbort, { once: true });
    cleanups.push(() => s.removeEventListener("abort", onAbort));
  }
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && !controller.signal.aborted) {
    const timer = setTimeout(() => controller.abort(timeoutReason?.()), Math.max(0, timeoutMs));
    cleanups.push(() => clearTimeout(timer));
  }
  return { signal: controller.signal, dispose };
}
