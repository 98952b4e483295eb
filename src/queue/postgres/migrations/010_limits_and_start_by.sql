-- Corral PostgreSQL schema, version 10: concurrency limits and start-by deadlines.
--
-- A queue may limit how many of its jobs run at once (max_running) and how many of one
-- concurrency_key (max_running_per_key); NULL: no limit. The columns hold what PATCH
-- /api/v1/queues/NAME set, which overrides the config file's [queues.NAME] until changed again.
-- Claims of a limited queue are serialized by a transaction-level advisory lock per queue and
-- count its running jobs through corral_jobs_running_by_key; other queues' claims are unchanged.
--
-- A job may carry a concurrency_key, and a start_by (microseconds since the Unix epoch) after
-- which, never started, it is cancelled with error code expired, found by the sweep through
-- corral_jobs_start_by. Both are fixed at enqueue. Older nodes leave the new columns alone (and
-- ignore the limits: upgrade every node before setting one).
ALTER TABLE corral_queues ADD COLUMN max_running integer;
ALTER TABLE corral_queues ADD COLUMN max_running_per_key integer;
ALTER TABLE corral_jobs ADD COLUMN concurrency_key text;
ALTER TABLE corral_jobs ADD COLUMN start_by bigint;
CREATE INDEX corral_jobs_running_by_key ON corral_jobs (queue, concurrency_key) WHERE status = 'running';
CREATE INDEX corral_jobs_ready_by_key ON corral_jobs (queue, concurrency_key, priority DESC, seq)
  WHERE status = 'queued' AND concurrency_key IS NOT NULL;
CREATE INDEX corral_jobs_start_by ON corral_jobs (start_by)
  WHERE start_by IS NOT NULL AND status IN ('queued', 'scheduled') AND started_at IS NULL;
