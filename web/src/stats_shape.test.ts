import assert from "node:assert/strict";
import { test } from "node:test";
import { throughputSeries, timingOf, workersOf } from "./stats_shape";

test("a series of points with a time and both counts", () => {
  const points = throughputSeries([
    { at: "2026-11-24T15:01:00Z", completed: 4, failed: 1 },
    { at: "2026-11-24T15:00:00Z", completed: 2, failed: 0 },
  ]);
  assert.deepEqual(points, [
    { t: Date.parse("2026-11-24T15:00:00Z") / 1000, completed: 2, failed: 0 },
    { t: Date.parse("2026-11-24T15:01:00Z") / 1000, completed: 4, failed: 1 },
  ]);
});

test("a series kept as one list per outcome", () => {
  const points = throughputSeries({ completed: [[60, 3], [120, 5]], failed: [[120, 2]] });
  assert.deepEqual(points, [
    { t: 60, completed: 3, failed: 0 },
    { t: 120, completed: 5, failed: 2 },
  ]);
});

test("an unknown shape gives no points rather than an error", () => {
  assert.deepEqual(throughputSeries(undefined), []);
  assert.deepEqual(throughputSeries("x"), []);
});

test("workers as a list or keyed by id", () => {
  assert.deepEqual(workersOf([{ worker_id: "w1", queues: ["a"], last_seen: "2026-11-24T15:00:00Z", running: 2 }]), [
    { id: "w1", queues: ["a"], lastSeen: "2026-11-24T15:00:00Z", running: 2 },
  ]);
  assert.deepEqual(workersOf({ w2: { queues: ["b"], jobs_running: 0 } }), [{ id: "w2", queues: ["b"], running: 0 }]);
  assert.deepEqual(workersOf(null), []);
});

test("the server's series: points under `points`, each with its start", () => {
  const points = throughputSeries({ step_s: 60, points: [{ start: "2026-12-06T06:55:00.000000Z", completed: 0, failed: 1 }] });
  assert.deepEqual(points, [{ t: Date.parse("2026-12-06T06:55:00Z") / 1000, completed: 0, failed: 1 }]);
});

test("timings are read with or without the seconds suffix", () => {
  assert.deepEqual(timingOf({ count: 1, mean_s: 0.15, p50_s: 0.19, p95_s: 0.25, p99_s: 0.26 }), { mean: 0.15, p50: 0.19, p95: 0.25, p99: 0.26 });
  assert.deepEqual(timingOf({ mean: 2 }), { mean: 2, p50: undefined, p95: undefined, p99: undefined });
  assert.deepEqual(timingOf(null), {});
});
