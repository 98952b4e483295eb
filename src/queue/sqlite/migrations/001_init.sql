-- Corral embedded schema, version 1.
--
-- Checklist for changing the schema (the on-disk format):
--   1. Never edit a migration that has been released; add NNN_next.sql with the next number.
--   2. Update queue/sqlite/job_store.cpp (column lists and row mapping) in the same commit.
--   3. Recovery (Engine::load) must still rebuild the in-memory index from the new shape.
--   4. Add a test that opens a database made by the previous version.
--
-- Times are integers: microseconds since the Unix epoch, UTC. JSON values are stored as text.

CREATE TABLE jobs (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,  -- enqueue sequence, never reused
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
  idempotency_key   TEXT    UNIQUE,
  metadata          TEXT,
  cancel_requested  INTEGER NOT NULL,
  lease_expires_at  INTEGER,
  worker_id         TEXT,
  lease_token       TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  started_at        INTEGER,
  completed_at      INTEGER
);

-- Recovery reads only the non-terminal jobs; this partial index keeps that cheap with millions
-- of finished ones.
CREATE INDEX jobs_active ON jobs (status)
  WHERE status IN ('queued', 'scheduled', 'running', 'retrying');

-- Filtered lists, newest first.
CREATE INDEX jobs_by_status ON jobs (status, seq);
CREATE INDEX jobs_by_queue  ON jobs (queue, seq);
CREATE INDEX jobs_by_type   ON jobs (type, seq);
CREATE INDEX jobs_by_owner  ON jobs (owner, seq) WHERE owner IS NOT NULL;

CREATE TABLE queues (
  name   TEXT PRIMARY KEY,
  paused INTEGER NOT NULL
);
