-- Corral embedded schema, version 11: concurrency limits and start-by deadlines.
--
-- A queue may limit how many of its jobs run at once (max_running) and how many of one
-- concurrency_key (max_running_per_key); NULL: no limit. The columns hold what PATCH
-- /api/v1/queues/NAME set, which overrides the config file's [queues.NAME] until changed again.
-- The server keeps its running counts in memory, rebuilt from the jobs at start.
--
-- A job may carry a concurrency_key, and a start_by (microseconds since the Unix epoch) after
-- which, never started, it is cancelled with error code expired. Both are fixed at enqueue.
ALTER TABLE queues ADD COLUMN max_running INTEGER;
ALTER TABLE queues ADD COLUMN max_running_per_key INTEGER;
ALTER TABLE jobs ADD COLUMN concurrency_key TEXT;
ALTER TABLE jobs ADD COLUMN start_by INTEGER;
