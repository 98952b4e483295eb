// watchJob: follows one job over its event stream (`GET /api/v1/jobs/{id}/events`) until it ends.
//
// A dropped stream is reopened with `Last-Event-ID`, so no event is seen twice or missed; the
// reconnects back off exponentially with jitter, and the watch gives up after a number of
// failures in a row (a stream that delivers something resets the count). When the server cannot
// stream (503 too_many_streams, or a proxy that does not pass text/event-stream through), the
// watch goes on with long-polls that answer on every progress change, and reports each reply as
// a `job` event.

import { CorralError, NotFoundError, TimeoutError, UnavailableError } from "./errors.js";
import type { Transport } from "./http.js";
import { pollJob } from "./long_poll.js";
import { readSse } from "./sse.js";
import { Backoff, type BackoffOptions, linkSignals, sleep } from "./timing.js";
import { FINAL_EVENT_KINDS, isTerminal, type Job, type JobEvent } from "./types.js";

export interface GapInfo {
  last_event_id: number;
  oldest_kept: number;
  message: string;
}

export type WatchEvent =
  /** The job as it is now: when a stream starts, after a gap, and for each long-poll reply. */
  | { type: "job"; job: Job }
  /** One committed change: `started`, `progress`, `completed`, ... */
  | { type: "event"; event: JobEvent }
  /** Events were missed because they left the server's window; a `job` event follows. */
  | { type: "gap"; gap: GapInfo };

export interface WatchOptions {
  onEvent?: (event: WatchEvent) => void;
  signal?: AbortSignal;
  /** Reject with a TimeoutError if the job has not ended by then (default: no limit). */
  timeoutMs?: number;
  /** Resume after this event id: only later events are sent, without the initial `job`. */
  lastEventId?: string;
  /** Give up after this many failed connections in a row (default 8). */
  maxConsecutiveErrors?: number;
  /** Delays between reconnects (default 250 ms doubling to 30 s, with jitter). */
  backoff?: BackoffOptions;
  /** A stream silent for this long is presumed dead and reopened (default 60000 ms; the server sends a keep-alive every 15 s). */
  idleTimeoutMs?: number;
  /** "stream" (with long-poll fallback, the default) or "poll" (long-poll only). */
  mode?: "stream" | "poll";
}

// Where the watch is: the id to resume after, and whether the current connection delivered
// anything (which proves the server reachable and resets the error count).
interface Position {
  lastEventId: string | undefined;
  delivered: boolean;
}

export async function watchJob(transport: Transport, id: string, options: WatchOptions = {}): Promise<Job> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const overall = linkSignals(
    [options.signal],
    options.timeoutMs,
    () => new TimeoutError(`job ${id} did not end within ${options.timeoutMs} ms`),
  );
  const maxErrors = options.maxConsecutiveErrors ?? 8;
  const backoff = new Backoff(options.backoff);
  const emit = (event: WatchEvent) => options.onEvent?.(event);
  const position: Position = { lastEventId: options.lastEventId, delivered: false };
  let mode = options.mode ?? "stream";
  try {
    for (;;) {
      if (mode === "poll") {
        return await pollJob(transport, id, {
          deadline,
          signal: overall.signal,
          progress: true,
          onJob: (job) => emit({ type: "job", job }),
          maxConsecutiveErrors: maxErrors,
          backoff: options.backoff,
        });
      }
      let failure: CorralError;
      position.delivered = false;
      try {
        const job = await streamOnce(transport, id, position, overall.signal, options.idleTimeoutMs ?? 60_000, emit);
        if (job) return job;
        failure = new UnavailableError({ status: 0, code: "network_error", message: `the event stream of ${id} ended early` });
      } catch (e) {
        if (overall.signal.aborted) throw overall.signal.reason;
        if (e instanceof StreamingUnavailable || (e instanceof CorralError && e.code === "too_many_streams")) {
          mode = "poll";
          continue;
        }
        if (e instanceof CorralError && !e.retryable) throw e;
        failure =
          e instanceof CorralError
            ? e
            : new UnavailableError({ status: 0, code: "network_error", message: String(e), cause: e });
      }
      if (position.delivered) backoff.reset();
      if (backoff.count + 1 >= maxErrors) throw failure;
      await sleep(Math.min(backoff.next(failure.retryAfterMs), deadline - Date.now()), overall.signal);
    }
  } catch (e) {
    throw overall.signal.aborted ? overall.signal.reason : e;
  } finally {
    overall.dispose();
  }
}

class StreamingUnavailable extends Error {}

// One connection: reads until the job's final event (resolving with the job as it ended), the
// end of the stream (resolving with undefined), or an error.
async function streamOnce(
  transport: Transport,
  id: string,
  position: Position,
  signal: AbortSignal,
  idleTimeoutMs: number,
  emit: (event: WatchEvent) => void,
): Promise<Job | undefined> {
  const path = `/api/v1/jobs/${encodeURIComponent(id)}/events`;
  const connection = new AbortController();
  const onAbort = () => connection.abort(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  let idle: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => connection.abort(new UnavailableError({ status: 0, code: "network_error", message: `the event stream of ${id} went silent` })),
      idleTimeoutMs,
    );
  };
  try {
    touch();
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (position.lastEventId !== undefined) headers["Last-Event-ID"] = position.lastEventId;
    const reply = await transport.send("GET", path, { headers, signal: connection.signal });
    const type = reply.headers.get("Content-Type") ?? "";
    if (!reply.body || !type.toLowerCase().startsWith("text/event-stream")) {
      reply.body?.cancel().catch(() => {});
      throw new StreamingUnavailable(`${path} answered ${type || "without a body"}`);
    }
    for await (const message of readSse(reply.body, touch)) {
      if (message.id !== undefined) position.lastEventId = message.id;
      if (message.data === undefined) continue;
      position.delivered = true;
      const data: unknown = JSON.parse(message.data);
      if (message.event === "job") {
        const job = data as Job;
        emit({ type: "job", job });
        if (isTerminal(job.status)) return job;
      } else if (message.event === "gap") {
        emit({ type: "gap", gap: data as GapInfo });
      } else {
        const event = data as JobEvent;
        emit({ type: "event", event });
        if (FINAL_EVENT_KINDS.includes(event.kind)) return await finalJob(transport, event);
      }
    }
    return undefined;
  } catch (e) {
    // An abort for idleness reaches here as the reason given to the controller.
    if (connection.signal.aborted && !signal.aborted) throw connection.signal.reason;
    throw e;
  } finally {
    clearTimeout(idle);
    signal.removeEventListener("abort", onAbort);
    connection.abort();
  }
}

async function finalJob(transport: Transport, event: JobEvent): Promise<Job> {
  if (event.kind === "deleted" || event.kind === "pruned") {
    throw new NotFoundError({ status: 404, code: "not_found", message: `job ${event.job_id} was ${event.kind}` });
  }
  return transport.json<Job>("GET", `/api/v1/jobs/${encodeURIComponent(event.job_id)}`);
}
