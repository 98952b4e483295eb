// Times, durations and numbers as the views show them. Pure: unit-tested in format.test.ts.

// "2026-11-24 15:08:27" in UTC, as the API's times are; "—" for none.
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return t.toISOString().slice(0, 19).replace("T", " ");
}

// A duration in seconds as people say it: "850 ms", "12.5 s", "3 min 20 s", "2 h 5 min".
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 0) seconds = 0;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

// Seconds from `from` to `to` (both RFC 3339), or null if either is missing.
export function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | null {
  if (!from || !to) return null;
  const d = (new Date(to).getTime() - new Date(from).getTime()) / 1000;
  return Number.isFinite(d) ? d : null;
}

// "3 min 20 s ago" for a time before `now` (ms since the epoch).
export function ago(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  return `${formatDuration(Math.max(0, (now - t) / 1000))} ago`;
}

// 0.9731 -> "97.3 %"; null -> "—".
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return "—";
  return `${Number((rate * 100).toFixed(1))} %`;
}

// A JSON value as indented text, for payload, result and checkpoint.
export function prettyJson(value: unknown): string {
  return value === undefined ? "null" : JSON.stringify(value, null, 2);
}

// An RFC 3339 time as a datetime-local input shows it ("2026-11-24T15:08"), in UTC like every
// time the dashboard shows; "" for none.
export function toTimeInput(iso: string | undefined): string {
  if (!iso) return "";
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? "" : t.toISOString().slice(0, 16);
}

// A datetime-local input's value, read as UTC, as RFC 3339 ("2026-11-24T15:08:00Z"); undefined
// for an empty or unreadable one.
export function fromTimeInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const t = new Date(`${value}Z`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().replace(/\.000Z$/, "Z");
}

// "1 job", "1,234 jobs", or "more than 10,000 jobs" for a bounded count that is not `exact`.
export function jobCount(total: number, exact?: boolean): string {
  const n = `${total.toLocaleString("en")} ${total === 1 ? "job" : "jobs"}`;
  return exact === false ? `more than ${n}` : n;
}

// The seconds left of an estimate of `eta_s` made at `sinceMs`, at `nowMs`; never below 0.
export function secondsLeft(eta_s: number, sinceMs: number, nowMs: number): number {
  return Math.max(0, eta_s - Math.max(0, nowMs - sinceMs) / 1000);
}
