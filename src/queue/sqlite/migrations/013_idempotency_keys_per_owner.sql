-- Corral embedded schema, version 13: an idempotency key is unique per owner (core/idempotency.hpp),
-- not across the whole database: one tenant's key can neither find nor block another's job. Jobs
-- with no owner share one scope, coalesce(owner, '').
--
-- The key was a UNIQUE column, and SQLite can drop neither such a column nor its constraint
-- without copying the whole table. So the old column is renamed idempotency_key_v12 and emptied
-- (NULLs never collide), and the key moves to a new column under a unique index per owner. The
-- emptied column costs nothing in a row: a NULL is one byte of the record's header.
ALTER TABLE jobs RENAME COLUMN idempotency_key TO idempotency_key_v12;
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
UPDATE jobs SET idempotency_key = idempotency_key_v12, idempotency_key_v12 = NULL
  WHERE idempotency_key_v12 IS NOT NULL;
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key, coalesce(owner, ''))
  WHERE idempotency_key IS NOT NULL;
