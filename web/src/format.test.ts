import assert from "node:assert/strict";
import { test } from "node:test";
import { ago, formatDuration, formatRate, formatTime, fromTimeInput, jobCount, secondsBetween, secondsLeft, toTimeInput } from "./format";

test("durations read as people say them", () => {
  assert.equal(formatDuration(0.25), "250 ms");
  assert.equal(formatDuration(12.54), "12.5 s");
  assert.equal(formatDuration(200), "3 min 20 s");
  assert.equal(formatDuration(7500), "2 h 5 min");
  assert.equal(formatDuration(3 * 86400 + 3600), "3 d 1 h");
  assert.equal(formatDuration(null), "—");
  assert.equal(formatDuration(-5), "0 ms");
});

test("times are shown in UTC to the second", () => {
  assert.equal(formatTime("2026-11-24T15:08:27.636755Z"), "2026-11-24 15:08:27");
  assert.equal(formatTime(null), "—");
});

test("the time between two stamps and the age of one", () => {
  assert.equal(secondsBetween("2026-11-24T15:08:27Z", "2026-11-24T15:08:39.5Z"), 12.5);
  assert.equal(secondsBetween(null, "2026-11-24T15:08:39Z"), null);
  assert.equal(ago("2026-11-24T15:08:00Z", Date.parse("2026-11-24T15:09:00Z")), "1 min 0 s ago");
});

test("rates are percentages", () => {
  assert.equal(formatRate(0.9731), "97.3 %");
  assert.equal(formatRate(1), "100 %");
  assert.equal(formatRate(undefined), "—");
});

test("times go to and from a datetime-local input in UTC", () => {
  assert.equal(toTimeInput("2026-11-24T15:08:27.5Z"), "2026-11-24T15:08");
  assert.equal(toTimeInput(undefined), "");
  assert.equal(fromTimeInput("2026-11-24T15:08"), "2026-11-24T15:08:00Z");
  assert.equal(fromTimeInput("2026-11-24T15:08:30"), "2026-11-24T15:08:30Z");
  assert.equal(fromTimeInput(""), undefined);
  assert.equal(fromTimeInput("2026-13-40T99:99"), undefined);
});

test("a count of jobs, exact or bounded", () => {
  assert.equal(jobCount(1), "1 job");
  assert.equal(jobCount(1234, true), "1,234 jobs");
  assert.equal(jobCount(10000, false), "more than 10,000 jobs");
});

test("an estimate counts down from when it was made, and stops at 0", () => {
  assert.equal(secondsLeft(30, 1000, 1000), 30);
  assert.equal(secondsLeft(30, 1000, 11_000), 20);
  assert.equal(secondsLeft(5, 1000, 60_000), 0);
  assert.equal(secondsLeft(5, 2000, 1000), 5, "a clock that goes back counts nothing");
});
