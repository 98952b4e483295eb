-- Corral PostgreSQL schema, version 7: completion webhooks, with an outbox so that none is lost
-- to a crash.
--
-- A job may carry a callback_url. The batch that ends such a job (completed, failed for good,
-- cancelled) inserts a row into corral_deliveries in the same transaction, holding the final job
-- as the body to POST: a crash after the commit leaves the row, and some node sends it later.
-- The row is deleted once the delivery is done with (delivered, or retried for as long as
-- webhook_retry_for_s allows); until then next_attempt_at is when it is next due, in
-- microseconds since the Unix epoch like every time here.
--
-- Exactly one node sends each try: a node claims due rows with SELECT ... FOR UPDATE SKIP LOCKED
-- and sets claimed_until (a lease) in the same transaction; the row is due again for every node
-- once the lease runs out, so the claims of a node that died are taken over.
--
-- The job keeps how the webhook of its last end stands in the webhook_* columns, which the
-- delivery updates (webhook_delivery_id names it; NULL: no webhook was sent yet). Older nodes
-- leave the new columns alone.
ALTER TABLE corral_jobs ADD COLUMN callback_url text;
ALTER TABLE corral_jobs ADD COLUMN webhook_delivery_id text;
ALTER TABLE corral_jobs ADD COLUMN webhook_state text;
ALTER TABLE corral_jobs ADD COLUMN webhook_attempts integer;
ALTER TABLE corral_jobs ADD COLUMN webhook_last_error text;
ALTER TABLE corral_jobs ADD COLUMN webhook_last_attempt_at bigint;
ALTER TABLE corral_jobs ADD COLUMN webhook_delivered_at bigint;

CREATE TABLE corral_deliveries (
  id              text PRIMARY KEY,
  job_id          text NOT NULL,
  url             text NOT NULL,
  body            text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  created_at      bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  claimed_until   bigint,
  last_error      text
);
CREATE INDEX corral_deliveries_due ON corral_deliveries (next_attempt_at);
