-- Corral PostgreSQL schema, version 5: stats and health are kept incrementally, the cluster's,
-- so a stats call reads a window's rollups, never the jobs, and windows hold after a restart and
-- a prune.
--
-- corral_stats_rollups: what each batch's events add, per minute and per hour (span_s), by queue,
-- type and metric (queue/rollup.hpp numbers them), added by every node to the same rows (an upsert
-- just before the batch's events, so its row locks are held only to the COMMIT).
-- corral_stats_errors: attempts that ended with an error, per minute, by queue, type and code.
-- corral_workers_seen: the last fetch of each (node, worker, queue), written at most every few
-- seconds; '' for fetches that named no worker. Maintenance trims rows older than 8 days.
-- corral_jobs_queued_since: the oldest ready job of a queue in O(log n).
-- The counts by state are kept by queue, type and priority now (stats shows all three), so both
-- count tables gain the two columns and are counted again from the jobs.
--
-- NOT safe while older nodes still serve: their count deltas lack the new columns and their
-- batches would fail. Stop every node, start one of this version (it migrates), then the others.
CREATE TABLE corral_stats_rollups (
  span_s  integer NOT NULL,
  start_s bigint  NOT NULL,   -- unix seconds, a multiple of span_s
  queue   text    NOT NULL,
  type    text    NOT NULL,
  metric  integer NOT NULL,
  n       bigint  NOT NULL,
  PRIMARY KEY (span_s, start_s, queue, type, metric)
);

CREATE TABLE corral_stats_errors (
  start_s   bigint NOT NULL,
  queue     text   NOT NULL,
  type      text   NOT NULL,
  code      text   NOT NULL,
  n         bigint NOT NULL,
  message   text   NOT NULL,
  last_seen bigint NOT NULL,   -- unix microseconds
  PRIMARY KEY (start_s, queue, type, code)
);

CREATE TABLE corral_workers_seen (
  node      text   NOT NULL,
  worker_id text   NOT NULL,
  queue     text   NOT NULL,
  last_seen bigint NOT NULL,   -- unix microseconds
  PRIMARY KEY (node, worker_id, queue)
);

CREATE INDEX corral_jobs_queued_since ON corral_jobs (queue, run_at) WHERE status = 'queued';

DROP TABLE corral_queue_counts;
CREATE TABLE corral_queue_counts (
  queue    text    NOT NULL,
  type     text    NOT NULL,
  priority integer NOT NULL,
  status   text    NOT NULL,
  n        bigint  NOT NULL,
  PRIMARY KEY (queue, type, priority, status)
);
DELETE FROM corral_count_deltas;
ALTER TABLE corral_count_deltas ADD COLUMN type text NOT NULL DEFAULT '',
                                ADD COLUMN priority integer NOT NULL DEFAULT 0;
INSERT INTO corral_queue_counts (queue, type, priority, status, n)
  SELECT queue, type, priority, status, count(*) FROM corral_jobs GROUP BY queue, type, priority, status;
