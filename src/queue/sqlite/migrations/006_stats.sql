-- Corral embedded schema, version 6: stats and health are kept incrementally, so a stats call
-- reads a window's rollups, never the jobs, and windows hold after a restart and a prune.
--
-- stats_rollups: what each commit's events add, per minute and per hour (span_s), by queue, type
-- and metric (queue/rollup.hpp numbers them: counts, sums of durations, histogram buckets).
-- stats_errors: attempts that ended with an error, per minute, by queue, type and code, with the
-- latest message as a sample. workers_seen: the last fetch of each (worker, queue), written at
-- most every few seconds; '' for fetches that named no worker. The writer trims rows older than
-- 8 days.
CREATE TABLE stats_rollups (
  span_s  INTEGER NOT NULL,
  start_s INTEGER NOT NULL,   -- unix seconds, a multiple of span_s
  queue   TEXT    NOT NULL,
  type    TEXT    NOT NULL,
  metric  INTEGER NOT NULL,
  n       INTEGER NOT NULL,
  PRIMARY KEY (span_s, start_s, queue, type, metric)
) WITHOUT ROWID;

CREATE TABLE stats_errors (
  start_s   INTEGER NOT NULL,
  queue     TEXT    NOT NULL,
  type      TEXT    NOT NULL,
  code      TEXT    NOT NULL,
  n         INTEGER NOT NULL,
  message   TEXT    NOT NULL,
  last_seen INTEGER NOT NULL,   -- unix microseconds
  PRIMARY KEY (start_s, queue, type, code)
) WITHOUT ROWID;

CREATE TABLE workers_seen (
  worker_id TEXT    NOT NULL,
  queue     TEXT    NOT NULL,
  last_seen INTEGER NOT NULL,   -- unix microseconds
  PRIMARY KEY (worker_id, queue)
) WITHOUT ROWID;
