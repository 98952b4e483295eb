-- Corral PostgreSQL schema, version 14: job dependencies and batches (core/dependencies.hpp).
--
-- A job may name parents (depends_on, a JSON array of ids, fixed at enqueue) and wait for them in
-- the state 'waiting', counting those not yet ended in parents_left; when the last one ends it
-- gets how each ended (parents, JSON) and becomes ready. on_parent_failure is NULL for the
-- default, 'cancel'. A job of a named batch keeps its id in batch_id.
--
-- corral_job_parents holds one row per parent that has not ended yet and a child waiting on it:
-- a batch that ends jobs deletes their rows by parent id, in one statement, and gets the children
-- to count down; so the table holds only edges still to be crossed and no end scans. A child's
-- enqueue locks its parents' rows (FOR UPDATE) before it writes its own rows: a parent's end on
-- another node either comes first (and the child sees it ended) or after (and finds its row).
-- corral_batches holds each batch once, with the jobs to run when it is done; its counts come
-- from corral_jobs_by_batch. A waiting job with a start_by is found by corral_jobs_start_by.
ALTER TABLE corral_jobs ADD COLUMN depends_on text;
ALTER TABLE corral_jobs ADD COLUMN on_parent_failure text;
ALTER TABLE corral_jobs ADD COLUMN parents_left integer NOT NULL DEFAULT 0;
ALTER TABLE corral_jobs ADD COLUMN parents text;
ALTER TABLE corral_jobs ADD COLUMN batch_id text;
CREATE TABLE corral_job_parents (
  parent_id text NOT NULL,
  child_id  text NOT NULL,
  PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX corral_jobs_by_batch ON corral_jobs (batch_id) WHERE batch_id IS NOT NULL;
CREATE TABLE corral_batches (
  id          text   PRIMARY KEY,
  owner       text,
  created_at  bigint NOT NULL,
  on_success  text,
  on_complete text
);
DROP INDEX corral_jobs_start_by;
CREATE INDEX corral_jobs_start_by ON corral_jobs (start_by)
  WHERE start_by IS NOT NULL AND status IN ('queued', 'scheduled', 'waiting') AND started_at IS NULL;
