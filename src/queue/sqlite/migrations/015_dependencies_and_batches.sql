-- Corral embedded schema, version 15: job dependencies and batches (core/dependencies.hpp).
--
-- A job may name parents (depends_on, a JSON array of ids, fixed at enqueue) and wait for them in
-- the state 'waiting', counting those not yet ended in parents_left; when the last one ends it
-- gets how each ended (parents, JSON) and becomes ready. on_parent_failure is NULL for the
-- default, 'cancel'. A job of a named batch keeps its id in batch_id.
--
-- job_parents holds one row per parent that has not ended yet and a child waiting on it: the end
-- of a job finds its children by its own id (the primary key's first column), and removes their
-- rows, so the table holds only edges still to be crossed and a job's end never scans.
-- batches holds each batch once (GET /api/v1/batches/ID) with the jobs to run when it is done;
-- its counts come from its jobs' rows, found through jobs_by_batch. The index leaves status out:
-- with it, every change of state would have to look at the index, batch or not.
ALTER TABLE jobs ADD COLUMN depends_on TEXT;
ALTER TABLE jobs ADD COLUMN on_parent_failure TEXT;
ALTER TABLE jobs ADD COLUMN parents_left INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN parents TEXT;
ALTER TABLE jobs ADD COLUMN batch_id TEXT;
CREATE TABLE job_parents (
  parent_id TEXT NOT NULL,
  child_id  TEXT NOT NULL,
  PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;
CREATE INDEX jobs_by_batch ON jobs (batch_id) WHERE batch_id IS NOT NULL;
CREATE TABLE batches (
  id          TEXT    PRIMARY KEY,
  owner       TEXT,
  created_at  INTEGER NOT NULL,
  on_success  TEXT,     -- the id of the job run when every job of the batch completed
  on_complete TEXT      -- the id of the job run when every job of the batch ended, however
) WITHOUT ROWID;
