import assert from "node:assert/strict";
import { test } from "node:test";
import type { Job } from "./api/types";
import { groupByError, kNoError } from "./groups";

const failed = (id: string, code?: string): Job =>
  ({ id, status: "failed", error: code ? { code, message: `${code} happened` } : null } as Job);

test("failed jobs are grouped by error code, largest group first", () => {
  const groups = groupByError([failed("1", "timeout"), failed("2", "boom"), failed("3", "timeout"), failed("4")]);
  assert.deepEqual(
    groups.map((g) => [g.code, g.jobs.map((j) => j.id)]),
    [["timeout", ["1", "3"]], ["(no error recorded)", ["4"]], ["boom", ["2"]]].sort((a, b) =>
      (b[1] as string[]).length - (a[1] as string[]).length || String(a[0]).localeCompare(String(b[0]))),
  );
  assert.equal(groups[0]!.sample, "timeout happened");
  assert.ok(groups.some((g) => g.code === kNoError));
});
