-- Corral PostgreSQL schema, version 16: the column idempotency_key_v12, emptied by version 12, is
-- dropped, as the embedded schema's version 17 drops it. PostgreSQL only marks a dropped column
-- (no rewrite of the table), so this is instant whatever the table holds.
ALTER TABLE corral_jobs DROP COLUMN idempotency_key_v12;
