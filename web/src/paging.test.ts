import assert from "node:assert/strict";
import { test } from "node:test";
import { PageTrail, pageText, totalText } from "./paging";

test("the way back is the way the pages were followed", () => {
  const trail = new PageTrail();
  trail.remember("c1", undefined);
  trail.remember("c2", "c1");
  assert.deepEqual(trail.previous("c2"), { cursor: "c1" });
  assert.deepEqual(trail.previous("c1"), { cursor: undefined }, "back to the first page");
  assert.equal(trail.previous(undefined), undefined, "the first page has none");
  assert.equal(trail.index("c2"), 2);
  assert.equal(trail.index(undefined), 0);
});

test("a page opened from a link has no known previous page or number", () => {
  const trail = new PageTrail();
  assert.equal(trail.previous("from-a-link"), undefined);
  trail.remember("c9", "from-a-link");
  assert.deepEqual(trail.previous("c9"), { cursor: "from-a-link" });
  assert.equal(trail.index("c9"), undefined);
});

test("following a page again keeps the first way found", () => {
  const trail = new PageTrail();
  trail.remember("c1", undefined);
  trail.remember("c1", "elsewhere");
  assert.deepEqual(trail.previous("c1"), { cursor: undefined });
});

test("the page's range and the total, exact or bounded", () => {
  assert.equal(pageText(0, 50, 50), "Jobs 1–50");
  assert.equal(pageText(2, 1, 50), "Job 101");
  assert.equal(pageText(undefined, 7, 50), "7 jobs on this page");
  assert.equal(pageText(0, 0, 50), "");
  assert.equal(totalText(10000, false), "More than 10,000 jobs match");
  assert.equal(totalText(1, true), "1 job matches");
  assert.equal(totalText(0, true), "0 jobs match");
});
