// Whether the server answers. Every request and the event stream report here; the banner shows
// while the server is lost, and a probe of /livez brings it back without a reload. Views watch
// `recoveries` to fetch again what they may have missed while it was away.

type Listener = () => void;

export interface ConnectionState {
  lost: boolean;
  recoveries: number; // how many times the connection came back: a view refetches on a change
}

let state: ConnectionState = { lost: false, recoveries: 0 };
const listeners = new Set<Listener>();
let probe: ReturnType<typeof setTimeout> | undefined;

// The probe's delay grows from 0.5 s to 3 s, so a long outage costs a request every 3 s.
const kFirstProbeMs = 500;
const kMaxProbeMs = 3000;

function set(next: ConnectionState) {
  state = next;
  for (const l of listeners) l();
}

export function connectionState(): ConnectionState {
  return state;
}

export function onConnectionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportOk() {
  if (!state.lost) return;
  if (probe !== undefined) clearTimeout(probe);
  probe = undefined;
  set({ lost: false, recoveries: state.recoveries + 1 });
}

export function reportLost() {
  if (state.lost) return;
  set({ ...state, lost: true });
  scheduleProbe(kFirstProbeMs);
}

function scheduleProbe(delayMs: number) {
  probe = setTimeout(async () => {
    try {
      const reply = await fetch("/livez", { cache: "no-store" });
      if (reply.ok) {
        reportOk();
        return;
      }
    } catch {
      // still away
    }
    if (state.lost) scheduleProbe(Math.min(delayMs * 2, kMaxProbeMs));
  }, delayMs);
}
