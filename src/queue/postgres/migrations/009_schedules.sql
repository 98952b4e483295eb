-- Corral PostgreSQL schema, version 9: recurring schedules (queue/schedules.hpp).
--
-- A schedule enqueues one job per cron tick. Every node runs due schedules: a node takes a due
-- row with SELECT ... FOR UPDATE SKIP LOCKED, inserts the tick's job and moves next_run_at past
-- the tick in the same transaction, so two nodes never enqueue one tick; the job's idempotency
-- key, made of the schedule's name and the tick, holds the same line against any retry. job is
-- the enqueue body, as JSON text, validated when the schedule is saved. Times are unix
-- microseconds, by the database's clock; next_run_at is NULL while the expression has no tick to
-- come.
--
-- Safe while older nodes still serve: they never read the table, and write NULL in the new job
-- columns.
CREATE TABLE corral_schedules (
  name         text    PRIMARY KEY,
  cron         text    NOT NULL,
  timezone     text    NOT NULL,
  job          text    NOT NULL,
  overlap      text    NOT NULL,
  catch_up     text    NOT NULL,
  paused       boolean NOT NULL,
  next_run_at  bigint,
  last_tick_at bigint,
  last_job_id  text,
  created_at   bigint  NOT NULL,
  updated_at   bigint  NOT NULL
);
CREATE INDEX corral_schedules_due ON corral_schedules (next_run_at) WHERE NOT paused;

ALTER TABLE corral_jobs ADD COLUMN schedule text, ADD COLUMN scheduled_for bigint;
