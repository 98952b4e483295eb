-- Corral embedded schema, version 17: the jobs table rebuilt so that a write touches fewer pages.
--
-- An enqueue wrote about ten 4 KiB pages for one row (docs/benchmarks.md, fourth pass). Two of
-- them bought nothing:
--   * AUTOINCREMENT kept a row of sqlite_sequence that every insert rewrote. seq is now the rowid
--     alias, and an insert takes one more than the largest of the jobs' seqs and seq_floor.last.
--     seq_floor holds the seq of the newest job when it is deleted (the trigger below): only then
--     can the largest seq fall, so a seq is still never given twice, and the table is written at
--     such a delete, not at every insert (queue/sqlite/job_store.cpp).
--   * idempotency_key_v12, emptied by version 13, still had its UNIQUE index, and every insert
--     wrote a NULL entry into it.
-- Neither can be dropped in place, so the table is copied whole, in this migration's one
-- transaction (a failure leaves version 16 as it was): about 10 s for a million jobs on two vCPUs.
-- The old table's pages stay in the file as free pages, which new rows reuse. Columns keep their
-- names, order and values; seq is copied, so ids, cursors and list order do not move. The indexes
-- are those of version 16, built once at the end.
CREATE TABLE seq_floor (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL   -- the largest seq ever given to a job that is no longer in jobs
);
INSERT INTO seq_floor (id, last)
  SELECT 1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0);

CREATE TABLE jobs_v17 (
  seq               INTEGER PRIMARY KEY,   -- enqueue order: rowid, one more than the largest
  id                TEXT    NOT NULL UNIQUE,
  type              TEXT    NOT NULL,
  queue             TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  priority          INTEGER NOT NULL,
  attempt           INTEGER NOT NULL,
  max_attempts      INTEGER NOT NULL,
  run_at            INTEGER NOT NULL,
  timeout_s         REAL    NOT NULL,
  max_run_s         REAL,
  backoff_initial_s REAL    NOT NULL,
  backoff_multiplier REAL   NOT NULL,
  backoff_max_s     REAL    NOT NULL,
  backoff_jitter    REAL    NOT NULL,
  retryable         INTEGER NOT NULL,
  payload           TEXT    NOT NULL,
  progress          TEXT,
  checkpoint        TEXT,
  result            TEXT,
  error_code        TEXT,
  error_message     TEXT,
  error_retryable   INTEGER,
  attempts          TEXT    NOT NULL,   -- JSON array: the attempt history
  owner             TEXT,
  metadata          TEXT,
  cancel_requested  INTEGER NOT NULL,
  lease_expires_at  INTEGER,
  worker_id         TEXT,
  lease_token       TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  started_at        INTEGER,
  completed_at      INTEGER,
  trace_id          TEXT,
  stages            TEXT,
  estimate_first_at INTEGER,
  estimate_first_fraction REAL,
  estimate_done_at  INTEGER,
  callback_url      TEXT,
  webhook_delivery_id TEXT,
  webhook_state     TEXT,
  webhook_attempts  INTEGER,
  webhook_last_error TEXT,
  webhook_last_attempt_at INTEGER,
  webhook_delivered_at INTEGER,
  schedule          TEXT,
  scheduled_for     INTEGER,
  concurrency_key   TEXT,
  start_by          INTEGER,
  idempotency_key   TEXT,
  depends_on        TEXT,
  on_parent_failure TEXT,
  parents_left      INTEGER NOT NULL DEFAULT 0,
  parents           TEXT,
  batch_id          TEXT
);

INSERT INTO jobs_v17 (
  seq, id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s, max_run_s,
  backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload,
  progress, checkpoint, result, error_code, error_message, error_retryable, attempts, owner,
  metadata, cancel_requested, lease_expires_at, worker_id, lease_token, created_at, updated_at,
  started_at, completed_at, trace_id, stages, estimate_first_at, estimate_first_fraction,
  estimate_done_at, callback_url, webhook_delivery_id, webhook_state, webhook_attempts,
  webhook_last_error, webhook_last_attempt_at, webhook_delivered_at, schedule, scheduled_for,
  concurrency_key, start_by, idempotency_key, depends_on, on_parent_failure, parents_left,
  parents, batch_id)
SELECT
  seq, id, type, queue, status, priority, attempt, max_attempts, run_at, timeout_s, max_run_s,
  backoff_initial_s, backoff_multiplier, backoff_max_s, backoff_jitter, retryable, payload,
  progress, checkpoint, result, error_code, error_message, error_retryable, attempts, owner,
  metadata, cancel_requested, lease_expires_at, worker_id, lease_token, created_at, updated_at,
  started_at, completed_at, trace_id, stages, estimate_first_at, estimate_first_fraction,
  estimate_done_at, callback_url, webhook_delivery_id, webhook_state, webhook_attempts,
  webhook_last_error, webhook_last_attempt_at, webhook_delivered_at, schedule, scheduled_for,
  concurrency_key, start_by, idempotency_key, depends_on, on_parent_failure, parents_left,
  parents, batch_id
FROM jobs ORDER BY seq;

DROP TABLE jobs;
ALTER TABLE jobs_v17 RENAME TO jobs;
DELETE FROM sqlite_sequence WHERE name = 'jobs';

CREATE INDEX jobs_by_status ON jobs (status, seq);
CREATE INDEX jobs_by_queue  ON jobs (queue, seq);
CREATE INDEX jobs_by_type   ON jobs (type, seq);
CREATE INDEX jobs_by_owner  ON jobs (owner, seq) WHERE owner IS NOT NULL;
CREATE INDEX jobs_by_updated ON jobs (updated_at, seq);
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key, coalesce(owner, ''))
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_batch ON jobs (batch_id) WHERE batch_id IS NOT NULL;

-- Deleting the newest job (no job left with a larger seq) records its seq; other deletes write
-- nothing. max(seq) is one seek to the end of the table.
CREATE TRIGGER jobs_keep_seq_floor AFTER DELETE ON jobs
  WHEN old.seq > coalesce((SELECT max(seq) FROM jobs), 0)
BEGIN
  UPDATE seq_floor SET last = max(last, old.seq) WHERE id = 1;
END;
