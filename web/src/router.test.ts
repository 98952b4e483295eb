import assert from "node:assert/strict";
import { test } from "node:test";
import { routeOf } from "./router";

test("each view has its own path", () => {
  assert.deepEqual(routeOf("/", ""), { view: "overview" });
  assert.deepEqual(routeOf("/queues", ""), { view: "queues" });
  assert.deepEqual(routeOf("/jobs", "?status=failed"), { view: "jobs", search: "?status=failed" });
  assert.deepEqual(routeOf("/jobs/job_abc", ""), { view: "job", id: "job_abc" });
  assert.deepEqual(routeOf("/dead-letter", ""), { view: "dead-letter" });
  assert.deepEqual(routeOf("/workers/", ""), { view: "workers" });
});

test("an unknown path is a not-found view, not the overview", () => {
  assert.deepEqual(routeOf("/nope", ""), { view: "not-found", path: "/nope" });
  assert.deepEqual(routeOf("/jobs/a/b", ""), { view: "not-found", path: "/jobs/a/b" });
});
