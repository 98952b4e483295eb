// One Server-Sent Events stream (GET /api/v1/events or /api/v1/jobs/{id}/events) with what the
// dashboard needs around EventSource:
// - The browser reconnects by itself after a dropped connection and resumes with Last-Event-ID;
//   meanwhile the stream reports `lost` (the banner shows) and `live` again once it is back.
// - EventSource cannot tell a missing endpoint from a refused connection, so when the browser
//   gives up (readyState CLOSED) one plain fetch of the URL asks: 404 means the server has no
//   such stream (an older server), 503 too_many_streams that it has all the streams it allows
//   open: the stream reports `unavailable` and the view polls instead.
//   Anything else is retried after a pause, and the view is asked to fetch again (`onResync`),
//   since a new EventSource starts from now and events in between were not seen.
// - An `event: gap` (the position fell out of the server's window) asks the view to fetch again.
import type { Job, JobEvent } from "./types";
import { reportLost, reportOk } from "../connection";

export type StreamStatus = "connecting" | "live" | "lost" | "unavailable";

export interface StreamHandlers {
  onEvent(event: JobEvent): void;
  onResync(): void;
  onStatus?(status: StreamStatus): void;
  onSnapshot?(job: Job): void; // the job stream's first message
}

// Every kind the server sends (core::JobEventKind), each an `event:` name of its own.
export const EVENT_KINDS = [
  "enqueued", "scheduled", "ready", "started", "progress", "heartbeat", "cancel_requested", "released",
  "retrying", "completed", "failed", "cancelled", "lease_expired", "timed_out", "retried", "deleted", "pruned",
  "waiting", "parent_ended",
] as const;

const kReopenMs = 2000;

// A 503 for the server's limit on streams (not one for a server that is stopping).
async function streamsFull(reply: Response): Promise<boolean> {
  try {
    const body = (await reply.json()) as { error?: { code?: string } };
    return body.error?.code === "too_many_streams";
  } catch {
    return false;
  }
}

export function openEventStream(url: string, handlers: StreamHandlers): () => void {
  let source: EventSource | undefined;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let status: StreamStatus = "connecting";

  const setStatus = (next: StreamStatus) => {
    if (next === status) return;
    status = next;
    handlers.onStatus?.(next);
  };

  const parse = (message: MessageEvent): unknown => {
    try {
      return JSON.parse(message.data as string);
    } catch {
      return undefined;
    }
  };

  // After the browser gave up: is the stream missing (404), or the server away?
  const classify = async () => {
    const abort = new AbortController();
    try {
      const reply = await fetch(url, { signal: abort.signal, cache: "no-store" });
      const refused = reply.status === 503 && (await streamsFull(reply));
      abort.abort(); // a stream that answers 200 now would go on for ever: only the status counts
      if (reply.status === 404 || refused) {
        setStatus("unavailable");
        return;
      }
      reportOk();
    } catch {
      reportLost();
      setStatus("lost");
    }
    if (!closed) reopen = setTimeout(() => open(true), kReopenMs);
  };

  const open = (resync: boolean) => {
    if (closed) return;
    const es = new EventSource(url);
    source = es;
    es.onopen = () => {
      reportOk();
      setStatus("live");
      if (resync) handlers.onResync();
      resync = false;
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        void classify();
      } else {
        reportLost(); // the browser is reconnecting
        setStatus("lost");
      }
    };
    for (const kind of EVENT_KINDS) {
      es.addEventListener(kind, (m) => {
        const event = parse(m as MessageEvent);
        if (event && typeof event === "object") handlers.onEvent(event as JobEvent);
      });
    }
    es.addEventListener("gap", () => handlers.onResync());
    es.addEventListener("job", (m) => {
      const job = parse(m as MessageEvent);
      if (job && typeof job === "object") handlers.onSnapshot?.(job as Job);
    });
  };

  open(false);
  return () => {
    closed = true;
    if (reopen !== undefined) clearTimeout(reopen);
    source?.close();
  };
}
