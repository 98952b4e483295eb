-- Corral embedded schema, version 8: completion webhooks, with an outbox so that none is lost to
-- a crash.
--
-- A job may carry a callback_url. The change that ends such a job (completed, failed for good,
-- cancelled) inserts a row into deliveries in the same transaction, holding the final job as the
-- body to POST: a crash after the commit leaves the row, and the server sends it when it starts
-- again. The row is deleted once the delivery is done with (delivered, or retried for as long as
-- webhook_retry_for_s allows); until then next_attempt_at is when it is next due, in microseconds
-- since the Unix epoch like every time here. claimed_until is unused by this backend (one server
-- owns the file) and kept so that both backends share one shape.
--
-- The job keeps how the webhook of its last end stands in the webhook_* columns, which the
-- delivery updates (webhook_delivery_id names it; NULL: no webhook was sent yet).
ALTER TABLE jobs ADD COLUMN callback_url TEXT;
ALTER TABLE jobs ADD COLUMN webhook_delivery_id TEXT;
ALTER TABLE jobs ADD COLUMN webhook_state TEXT;
ALTER TABLE jobs ADD COLUMN webhook_attempts INTEGER;
ALTER TABLE jobs ADD COLUMN webhook_last_error TEXT;
ALTER TABLE jobs ADD COLUMN webhook_last_attempt_at INTEGER;
ALTER TABLE jobs ADD COLUMN webhook_delivered_at INTEGER;

CREATE TABLE deliveries (
  id              TEXT PRIMARY KEY,
  job_id          TEXT NOT NULL,
  url             TEXT NOT NULL,
  body            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  last_error      TEXT
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at);
