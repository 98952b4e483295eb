-- Corral PostgreSQL schema, version 1.
--
-- Checklist for changing the schema (the on-disk format):
--   1. Never edit a migration that has been released; add NNN_next.sql with the next number.
--   2. Update queue/postgres/job_rows.cpp (column list and row mapping) in the same commit.
--   3. Every node runs migrations at start under one advisory lock (migrate.cpp): a migration
--      must be safe to apply while older nodes still serve, or the release notes must say not.
--   4. Add a test that opens a database made by the previous version.
--
-- Times are bigint microseconds since the Unix epoch, UTC, taken from the database's clock
-- (never a node's). JSON values are stored as text, exactly as clients sent them.

CREATE TABLE corral_jobs (
  seq                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- enqueue order
  id                 text    NOT NULL UNIQUE,
  type               text    NOT NULL,
  queue              text    NOT NULL,
  status             text    NOT NULL,
  priority           integer NOT NULL,
  attempt            integer NOT NULL,
  max_attempts       integer NOT NULL,
  run_at             bigint  NOT NULL,
  timeout_s          double precision NOT NULL,
  max_run_s          double precision,
  backoff_initial_s  double precision NOT NULL,
  backoff_multiplier double precision NOT NULL,
  backoff_max_s      double precision NOT NULL,
  backoff_jitter     double precision NOT NULL,
  retryable          boolean NOT NULL,
  payload            text    NOT NULL,
  progress           text,
  checkpoint         text,
  result             text,
  error_code         text,
  error_message      text,
  error_retryable    boolean,
  attempts           text    NOT NULL,   -- JSON array: the attempt history
  owner              text,
  idempotency_key    text    UNIQUE,
  metadata           text,
  cancel_requested   boolean NOT NULL,
  lease_expires_at   bigint,
  worker_id          text,
  lease_token        text,
  created_at         bigint  NOT NULL,
  updated_at         bigint  NOT NULL,
  started_at         bigint,
  completed_at       bigint
);

-- The hot indexes hold only jobs that can still move, so claims and sweeps stay fast however many
-- finished jobs the table keeps.
CREATE INDEX corral_jobs_ready  ON corral_jobs (queue, priority DESC, seq) WHERE status = 'queued';
CREATE INDEX corral_jobs_due    ON corral_jobs (run_at) WHERE status IN ('scheduled', 'retrying');
CREATE INDEX corral_jobs_leases ON corral_jobs (lease_expires_at) WHERE status = 'running';

-- Retention finds finished jobs by age.
CREATE INDEX corral_jobs_finished ON corral_jobs (completed_at)
  WHERE status IN ('completed', 'failed', 'cancelled');

-- Filtered lists, newest first.
CREATE INDEX corral_jobs_by_status ON corral_jobs (status, seq);
CREATE INDEX corral_jobs_by_queue  ON corral_jobs (queue, seq);
CREATE INDEX corral_jobs_by_type   ON corral_jobs (type, seq);
CREATE INDEX corral_jobs_by_owner  ON corral_jobs (owner, seq) WHERE owner IS NOT NULL;

-- Every job changes state a few times in its life, so the table collects dead row versions fast:
-- vacuum it after 1 % of it changed rather than the default 20 %, without throttling, and leave
-- room in each page for the next version of a row (fewer page splits and index entries).
ALTER TABLE corral_jobs SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01,
                             autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0,
                             autovacuum_analyze_scale_factor = 0.02);

CREATE TABLE corral_queues (
  name   text PRIMARY KEY,
  paused boolean NOT NULL
);

-- Per-queue counts by state. Each write transaction appends its changes to corral_count_deltas
-- (inserts never wait on each other); maintenance folds them into corral_queue_counts once a
-- second. A count is the folded number plus the deltas not folded yet.
CREATE TABLE corral_queue_counts (
  queue  text   NOT NULL,
  status text   NOT NULL,
  n      bigint NOT NULL,
  PRIMARY KEY (queue, status)
);

CREATE TABLE corral_count_deltas (
  queue  text   NOT NULL,
  status text   NOT NULL,
  delta  bigint NOT NULL
);
ALTER TABLE corral_count_deltas SET (autovacuum_vacuum_scale_factor = 0.0, autovacuum_vacuum_threshold = 1000,
                                     autovacuum_vacuum_cost_delay = 0);
