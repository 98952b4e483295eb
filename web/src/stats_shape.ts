// Reading GET /api/v1/stats and /api/v1/health defensively: the dashboard must not break on a
// server whose stats carry more, fewer or renamed parts. Pure: unit-tested in stats_shape.test.ts.

export interface Point {
  t: number; // seconds since the epoch
  completed: number;
  failed: number;
}

// The completed/failed series, whichever of the plain shapes it comes in:
// [{at|t|time|start|minute|hour: time, completed, failed}, ...], that list under `points` (as
// docs/api.md has it: {step_s, points}), or {completed: [...], failed: [...]} with the points as
// [time, n] pairs or {at, count} objects. Unknown shapes give [].
export function throughputSeries(series: unknown): Point[] {
  if (typeof series === "object" && series !== null && Array.isArray((series as Record<string, unknown>).points)) {
    return throughputSeries((series as Record<string, unknown>).points);
  }
  const time = (v: unknown): number | undefined => {
    if (typeof v === "number") return v > 1e11 ? v / 1000 : v;
    if (typeof v === "string") {
      const ms = Date.parse(v);
      return Number.isNaN(ms) ? undefined : ms / 1000;
    }
    return undefined;
  };
  const record = (o: Record<string, unknown>) => time(o.at ?? o.t ?? o.time ?? o.start ?? o.minute ?? o.hour);
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

  if (Array.isArray(series)) {
    return series
      .filter((p): p is Record<string, unknown> => typeof p === "object" && p !== null)
      .map((p) => ({ t: record(p), completed: num(p.completed), failed: num(p.failed) }))
      .filter((p): p is Point => p.t !== undefined)
      .sort((a, b) => a.t - b.t);
  }
  if (typeof series === "object" && series !== null) {
    const byTime = new Map<number, Point>();
    for (const key of ["completed", "failed"] as const) {
      const points = (series as Record<string, unknown>)[key];
      if (!Array.isArray(points)) continue;
      for (const p of points) {
        const [t, n] = Array.isArray(p) ? [time(p[0]), num(p[1])] : typeof p === "object" && p ? [record(p as Record<string, unknown>), num((p as Record<string, unknown>).count)] : [undefined, 0];
        if (t === undefined) continue;
        const point = byTime.get(t) ?? { t, completed: 0, failed: 0 };
        point[key] = n;
        byTime.set(t, point);
      }
    }
    return [...byTime.values()].sort((a, b) => a.t - b.t);
  }
  return [];
}

export interface WorkerRow {
  id: string;
  queues: string[];
  lastSeen?: string;
  running?: number;
}

// The workers the stats saw: an array of {worker_id|id, queues, last_seen, running|jobs_running}
// or an object keyed by worker id. Unknown shapes give [].
export function workersOf(workers: unknown): WorkerRow[] {
  const rows: WorkerRow[] = [];
  const add = (id: unknown, w: Record<string, unknown>) => {
    if (typeof id !== "string") return;
    const running = w.running ?? w.jobs_running;
    const row: WorkerRow = {
      id,
      queues: Array.isArray(w.queues) ? w.queues.filter((q): q is string => typeof q === "string") : [],
    };
    if (typeof w.last_seen === "string") row.lastSeen = w.last_seen;
    if (typeof running === "number") row.running = running;
    rows.push(row);
  };
  const list = Array.isArray(workers)
    ? workers
    : typeof workers === "object" && workers !== null && Array.isArray((workers as Record<string, unknown>).workers)
      ? ((workers as Record<string, unknown>).workers as unknown[])
      : undefined;
  if (list) {
    for (const w of list) {
      if (typeof w === "object" && w !== null) add((w as Record<string, unknown>).worker_id ?? (w as Record<string, unknown>).id, w as Record<string, unknown>);
    }
  } else if (typeof workers === "object" && workers !== null) {
    for (const [id, w] of Object.entries(workers)) {
      if (typeof w === "object" && w !== null) add(id, w as Record<string, unknown>);
    }
  }
  return rows;
}

export interface Timing {
  mean?: number | undefined;
  p50?: number | undefined;
  p95?: number | undefined;
  p99?: number | undefined;
}

// A run-time or queue-wait summary in seconds: {mean_s, p50_s, p95_s, p99_s} as docs/api.md has
// it, or the same without the unit suffix.
export function timingOf(summary: unknown): Timing {
  if (typeof summary !== "object" || summary === null) return {};
  const s = summary as Record<string, unknown>;
  const pick = (name: string) => {
    const v = s[`${name}_s`] ?? s[name];
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  };
  return { mean: pick("mean"), p50: pick("p50"), p95: pick("p95"), p99: pick("p99") };
}
