-- Corral embedded schema, version 10: recurring schedules (queue/schedules.hpp).
--
-- A schedule enqueues one job per cron tick. The job a tick enqueues is inserted in the same
-- transaction that moves the schedule's next_run_at past the tick, and carries an idempotency key
-- made of the schedule's name and the tick, so a crash or restart never enqueues a tick twice.
-- job is the enqueue body, as JSON text, validated when the schedule is saved. Times are unix
-- microseconds; next_run_at is NULL while the expression has no tick to come.
CREATE TABLE schedules (
  name         TEXT    PRIMARY KEY,
  cron         TEXT    NOT NULL,
  timezone     TEXT    NOT NULL,
  job          TEXT    NOT NULL,
  overlap      TEXT    NOT NULL,
  catch_up     TEXT    NOT NULL,
  paused       INTEGER NOT NULL,
  next_run_at  INTEGER,
  last_tick_at INTEGER,
  last_job_id  TEXT,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE paused = 0;

-- The jobs a schedule enqueued: its name and the tick's time, NULL for other jobs.
ALTER TABLE jobs ADD COLUMN schedule TEXT;
ALTER TABLE jobs ADD COLUMN scheduled_for INTEGER;
