import assert from "node:assert/strict";
import { test } from "node:test";
import { bulkBody, confirmText, resultText } from "./bulk";

test("the request names the action, exactly one of ids and filter, and whether it is a dry run", () => {
  assert.deepEqual(bulkBody("retry", { ids: ["job_a"] }, true), { action: "retry", ids: ["job_a"], dry_run: true });
  assert.deepEqual(bulkBody("delete", { filter: { status: "failed", error_code: "smtp" } }, false), {
    action: "delete",
    filter: { status: "failed", error_code: "smtp" },
    dry_run: false,
  });
});

test("the confirmation says how many will change and why the rest will not", () => {
  const scope = "matching the filter";
  assert.equal(
    confirmText("retry", { action: "retry", dry_run: true, matched: 5, would_change: 3 }, scope),
    "Retry 3 of the 5 jobs matching the filter? The other 2 stay as they are: only failed and cancelled jobs are retried.",
  );
  assert.equal(
    confirmText("delete", { action: "delete", dry_run: true, matched: 12000, would_change: 12000 }, scope),
    "Delete the 12,000 jobs matching the filter?",
  );
  assert.equal(confirmText("cancel", { action: "cancel", dry_run: true, matched: 1, would_change: 1 }, "selected"), "Cancel the 1 job selected?");
});

test("a dry run that would change nothing says so", () => {
  assert.equal(confirmText("retry", { action: "retry", dry_run: true, matched: 0, would_change: 0 }, "in this group"), "No job is in this group: nothing to do.");
  assert.match(confirmText("retry", { action: "retry", dry_run: true, matched: 2, would_change: 0 }, "selected"), /^None of the 2 jobs selected can be retried/);
});

test("the result says what changed and what was skipped", () => {
  assert.equal(resultText("retry", { action: "retry", dry_run: false, matched: 3, changed: 3, skipped: 0 }), "Retried 3 jobs.");
  assert.equal(
    resultText("delete", { action: "delete", dry_run: false, matched: 3, changed: 1, skipped: 2 }),
    "Deleted 1 job; 2 skipped (not in a state to be deleted, or changed meanwhile).",
  );
});
