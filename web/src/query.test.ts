import assert from "node:assert/strict";
import { test } from "node:test";
import { jobFilterSearch, jobListPath, matchesFilter, parseJobFilter } from "./query";

test("a filter read from the URL is written back the same, in a fixed order", () => {
  const filter = parseJobFilter("?queue=mail&status=failed&owner=u-1&type=email.send");
  assert.deepEqual(filter, { status: "failed", queue: "mail", type: "email.send", owner: "u-1" });
  assert.equal(jobFilterSearch(filter), "?status=failed&queue=mail&type=email.send&owner=u-1");
});

test("an unknown state and empty values are left out rather than sent to be refused", () => {
  assert.deepEqual(parseJobFilter("?status=stuck&queue=&type=%20"), {});
  assert.equal(jobFilterSearch({}), "");
});

test("the API path carries the filters, the cursor and the page size", () => {
  assert.equal(jobListPath({ queue: "a b", cursor: "czo0" }, 50), "/api/v1/jobs?queue=a+b&cursor=czo0&limit=50");
});

test("a job matches when every filter given matches", () => {
  const job = { status: "queued", queue: "mail", type: "t", owner: "o" };
  assert.ok(matchesFilter({}, job));
  assert.ok(matchesFilter({ status: "queued", queue: "mail", owner: "o" }, job));
  assert.ok(!matchesFilter({ status: "failed" }, job));
  assert.ok(!matchesFilter({ owner: "p" }, job));
});
