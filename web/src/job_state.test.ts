import assert from "node:assert/strict";
import { test } from "node:test";
import { JOB_STATES } from "./api/types";
import { endsJob, isTerminal, stateLook } from "./job_state";

test("every state has its own colour, icon and label", () => {
  const looks = JOB_STATES.map(stateLook);
  assert.equal(new Set(looks.map((l) => l.className)).size, JOB_STATES.length);
  assert.equal(new Set(looks.map((l) => l.icon)).size, JOB_STATES.length);
  assert.equal(new Set(looks.map((l) => l.label)).size, JOB_STATES.length);
});

test("waiting (for parents) is a state of its own that has not ended", () => {
  assert.equal(stateLook("waiting").label, "Waiting");
  assert.equal(isTerminal("waiting"), false);
  assert.ok(!endsJob("waiting") && !endsJob("parent_ended"));
});

test("an unknown status shows as itself", () => {
  assert.equal(stateLook("paused").label, "paused");
});

test("terminal states and the events that end a job's stream", () => {
  assert.deepEqual(JOB_STATES.filter(isTerminal), ["completed", "failed", "cancelled"]);
  assert.ok(endsJob("failed") && endsJob("deleted"));
  assert.ok(!endsJob("retrying") && !endsJob("progress"));
});
