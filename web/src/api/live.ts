// The app's one stream of every event (GET /api/v1/events), shared by the views that show live
// lists: opened while some view listens and closed when none does.
import { useEffect, useRef, useState } from "preact/hooks";
import { openEventStream, type StreamStatus } from "./event_stream";
import type { JobEvent } from "./types";

interface Listener {
  onEvent(event: JobEvent): void;
  onResync(): void;
}

const listeners = new Set<Listener>();
const statusListeners = new Set<(s: StreamStatus) => void>();
let status: StreamStatus = "connecting";
let close: (() => void) | undefined;

function ensureOpen() {
  if (close) return;
  status = "connecting";
  close = openEventStream("/api/v1/events", {
    onEvent: (e) => listeners.forEach((l) => l.onEvent(e)),
    onResync: () => listeners.forEach((l) => l.onResync()),
    onStatus: (s) => {
      status = s;
      statusListeners.forEach((l) => l(s));
    },
  });
}

function release() {
  if (listeners.size > 0 || !close) return;
  close();
  close = undefined;
}

// Calls onEvent for every event and onResync when the view must fetch again; returns the
// stream's status, "unavailable" when the server has no event stream (the view then polls).
export function useLiveEvents(onEvent: (e: JobEvent) => void, onResync: () => void): StreamStatus {
  const latest = useRef({ onEvent, onResync });
  latest.current = { onEvent, onResync };
  const [current, setCurrent] = useState<StreamStatus>(status);
  useEffect(() => {
    const listener: Listener = {
      onEvent: (e) => latest.current.onEvent(e),
      onResync: () => latest.current.onResync(),
    };
    listeners.add(listener);
    statusListeners.add(setCurrent);
    ensureOpen();
    setCurrent(status);
    return () => {
      listeners.delete(listener);
      statusListeners.delete(setCurrent);
      release();
    };
  }, []);
  return current;
}
