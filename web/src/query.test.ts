import assert from "node:assert/strict";
import { test } from "node:test";
import { bulkFilter, isFilterableCode, isFiltered, jobFilterSearch, jobListPath, mayMatchFilter, parseJobFilter, withCursor } from "./query";

test("a filter read from the URL is written back the same, in a fixed order", () => {
  const filter = parseJobFilter(
    "?sort=oldest&error_text=refused&queue=mail&status=failed&owner=u-1&type=email.send&error_code=smtp&created_after=2026-01-01T00:00:00Z&created_before=2026-02-01T00:00:00Z&cursor=czo0",
  );
  assert.deepEqual(filter, {
    status: ["failed"], queue: "mail", type: "email.send", owner: "u-1", error_code: "smtp", error_text: "refused",
    created_after: "2026-01-01T00:00:00Z", created_before: "2026-02-01T00:00:00Z", sort: "oldest", cursor: "czo0",
  });
  assert.equal(
    jobFilterSearch(filter),
    "?status=failed&queue=mail&type=email.send&owner=u-1&error_code=smtp&error_text=refused&created_after=2026-01-01T00%3A00%3A00Z&created_before=2026-02-01T00%3A00%3A00Z&sort=oldest&cursor=czo0",
  );
});

test("several states are one comma-separated parameter, in the states' order", () => {
  assert.deepEqual(parseJobFilter("?status=cancelled,failed").status, ["failed", "cancelled"]);
  assert.equal(jobFilterSearch({ status: ["failed", "cancelled"] }), "?status=failed%2Ccancelled");
  assert.deepEqual(parseJobFilter("?status=queued,waiting").status, ["waiting", "queued"], "waiting comes first in a job's life");
});

test("unknown states, sorts, unreadable times and empty values are left out rather than sent to be refused", () => {
  assert.deepEqual(parseJobFilter("?status=stuck&queue=&type=%20&sort=random&created_after=yesterday"), {});
  assert.deepEqual(parseJobFilter("?sort=newest"), {}, "newest is the default");
  assert.equal(jobFilterSearch({}), "");
});

test("the API path asks for the summary form and the total, with the filters, cursor and page size", () => {
  assert.equal(
    jobListPath({ queue: "a b", sort: "updated", cursor: "czo0" }, 50),
    "/api/v1/jobs?queue=a+b&sort=updated&cursor=czo0&view=summary&count=1&limit=50",
  );
});

test("a bulk action's filter has the filter fields but no sort or cursor", () => {
  const filter = parseJobFilter("?status=failed,cancelled&error_code=smtp&sort=oldest&cursor=x");
  assert.deepEqual(bulkFilter(filter), { status: "failed,cancelled", error_code: "smtp" });
  assert.ok(isFiltered(filter));
  assert.ok(!isFiltered({ sort: "oldest", cursor: "x" }), "sort and page narrow nothing");
});

test("changing page keeps the filter", () => {
  assert.deepEqual(withCursor({ queue: "q", cursor: "a" }, "b"), { queue: "q", cursor: "b" });
  assert.deepEqual(withCursor({ queue: "q", cursor: "a" }, undefined), { queue: "q" });
});

test("error codes outside the API's filter syntax are acted on by id", () => {
  assert.ok(isFilterableCode("smtp_refused.v2-x"));
  assert.ok(!isFilterableCode("SMTP"));
  assert.ok(!isFilterableCode(""));
});

test("an event's job may match unless a field the event carries rules it out", () => {
  const job = { kind: "started", status: "running", queue: "mail", type: "t", owner: "o", at: "2026-01-10T00:00:00Z" };
  assert.ok(mayMatchFilter({}, job));
  assert.ok(mayMatchFilter({ status: ["queued", "running"], queue: "mail", owner: "o" }, job));
  assert.ok(!mayMatchFilter({ status: ["failed"] }, job));
  assert.ok(!mayMatchFilter({ owner: "p" }, job));
  assert.ok(mayMatchFilter({ error_code: "smtp" }, job), "the event does not say the job's error");
  const failed = { ...job, kind: "failed", status: "failed", error: { code: "smtp", message: "Mail server REFUSED" } };
  assert.ok(mayMatchFilter({ error_code: "smtp", error_text: "refused" }, failed));
  assert.ok(!mayMatchFilter({ error_code: "dns" }, failed));
  assert.ok(!mayMatchFilter({ error_text: "timeout" }, failed));
});

test("an event rules out jobs created after it, and a creating event tells the creation time", () => {
  const started = { kind: "started", status: "running", queue: "q", type: "t", at: "2026-01-10T00:00:00Z" };
  assert.ok(!mayMatchFilter({ created_after: "2026-01-11T00:00:00Z" }, started));
  assert.ok(mayMatchFilter({ created_before: "2026-01-09T00:00:00Z" }, started), "created before it, perhaps");
  const enqueued = { ...started, kind: "enqueued", status: "queued" };
  assert.ok(!mayMatchFilter({ created_before: "2026-01-09T00:00:00Z" }, enqueued));
  assert.ok(mayMatchFilter({ created_after: "2026-01-09T00:00:00Z", created_before: "2026-01-11T00:00:00Z" }, enqueued));
  const waiting = { ...started, kind: "waiting", status: "waiting" };
  assert.ok(!mayMatchFilter({ created_before: "2026-01-09T00:00:00Z" }, waiting), "a waiting job is created by its event too");
  assert.ok(!mayMatchFilter({ status: ["waiting"], error_code: "smtp" }, waiting), "a new job has no error");
});
