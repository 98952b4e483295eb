-- Corral PostgreSQL schema, version 12: an idempotency key is unique per owner
-- (core/idempotency.hpp), not across the whole database: one tenant's key can neither find nor
-- block another's job. Jobs with no owner share one scope, coalesce(owner, ''). Enqueues race on
-- the new index (INSERT ... ON CONFLICT (idempotency_key, (coalesce(owner, ''))) DO NOTHING).
--
-- The key moves to a new last column, as on the embedded schema (whose old column, a UNIQUE one,
-- SQLite cannot drop): the two schemas keep one column order (queue/job_columns.hpp). The old
-- column stays as idempotency_key_v12, emptied and without its constraint.
--
-- Older nodes write the old column, which no longer exists under its name: their enqueues fail
-- (nothing is written) until they are upgraded too. Upgrade every node.
ALTER TABLE corral_jobs DROP CONSTRAINT corral_jobs_idempotency_key_key;
ALTER TABLE corral_jobs RENAME COLUMN idempotency_key TO idempotency_key_v12;
ALTER TABLE corral_jobs ADD COLUMN idempotency_key text;
UPDATE corral_jobs SET idempotency_key = idempotency_key_v12, idempotency_key_v12 = NULL
  WHERE idempotency_key_v12 IS NOT NULL;
CREATE UNIQUE INDEX corral_jobs_by_idempotency_key ON corral_jobs (idempotency_key, (coalesce(owner, '')));
