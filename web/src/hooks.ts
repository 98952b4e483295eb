// Hooks the views share: the connection state, and loading data that is fetched again when the
// connection comes back, on demand, and (where the view asks) on a timer.
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { connectionState, onConnectionChange, type ConnectionState } from "./connection";
import { onSessionChange, sessionState, type SessionState } from "./session";
import { NotAvailable } from "./api/client";
import { secondsLeft } from "./format";

export function useConnection(): ConnectionState {
  const [state, setState] = useState(connectionState());
  useEffect(() => onConnectionChange(() => setState(connectionState())), []);
  return state;
}

export function useSession(): SessionState {
  const [state, setState] = useState(sessionState());
  useEffect(() => onSessionChange(() => setState(sessionState())), []);
  return state;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown; // the last failure, cleared by the next success
  unavailable: boolean; // the endpoint does not exist on this server
  reload: () => void;
}

// Runs `load` now, whenever `key` changes, whenever the connection comes back, on reload(), and
// every `pollMs` if given (until the endpoint proves not to exist). A reply that comes after a
// newer request was made is dropped.
export function useLoad<T>(load: () => Promise<T>, key: string, pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [unavailable, setUnavailable] = useState(false);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const { recoveries } = useConnection();

  const reload = useCallback(() => {
    const mine = ++latest.current;
    loader.current().then(
      (value) => {
        if (mine !== latest.current) return;
        setData(value);
        setError(undefined);
        setUnavailable(false);
      },
      (e: unknown) => {
        if (mine !== latest.current) return;
        if (e instanceof NotAvailable) setUnavailable(true);
        setError(e);
      },
    );
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(undefined);
    reload();
  }, [key]);
  useEffect(() => {
    if (recoveries > 0) reload();
  }, [recoveries]);
  // A server without the endpoint will not grow it: stop asking (a recovery asks once more).
  useEffect(() => {
    if (!pollMs || unavailable) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, key, unavailable]);

  return { data, error, unavailable, reload };
}

// Calls `fn` at most once per `ms`: bursts of events cost one refetch.
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, ms);
  }, [ms]);
}

// Seconds left of the server's estimate `eta_s`, counted down locally once a second
// between the server's replies (docs/api.md: eta_s is counted from the time of the reply). A new
// estimate starts the count again; null while there is none.
export function useCountdown(eta_s: number | null | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  const since = useMemo(() => Date.now(), [eta_s]);
  const counting = eta_s !== null && eta_s !== undefined;
  useEffect(() => {
    if (!counting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [counting]);
  return counting ? secondsLeft(eta_s, since, now) : null;
}

