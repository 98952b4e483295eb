-- Corral PostgreSQL schema, version 17: the unique index of idempotency keys holds the jobs that
-- have a key, as the embedded schema's does since its version 17. Over every job, each insert and
-- each update of a job with no key (no update of a job is HOT: status is in the claim indexes'
-- predicates) wrote a NULL entry into it, one index entry in nine on the one-job paths. Enqueues
-- race on it with INSERT ... ON CONFLICT (idempotency_key, (coalesce(owner, ''))) WHERE
-- idempotency_key IS NOT NULL DO NOTHING.
--
-- Built in this migration's one transaction (a failure leaves version 16 as it was): 0.2 s for a
-- million jobs, one in eleven with a key, while enqueues wait. Older nodes name no predicate in their ON CONFLICT,
-- which no longer finds the index: their enqueues fail (nothing is written) until they are
-- upgraded too. Upgrade every node.
CREATE UNIQUE INDEX corral_jobs_by_idempotency_key_v17 ON corral_jobs (idempotency_key, (coalesce(owner, '')))
  WHERE idempotency_key IS NOT NULL;
DROP INDEX corral_jobs_by_idempotency_key;
ALTER INDEX corral_jobs_by_idempotency_key_v17 RENAME TO corral_jobs_by_idempotency_key;
