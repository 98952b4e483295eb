-- Corral embedded schema, version 16: rate limits and priority aging per queue.
--
-- A queue's rate limit (rate_jobs jobs per rate_per_s seconds, a token bucket holding rate_burst,
-- NULL: jobs) and its priority aging (priority_aging_per_s, priority points a ready job gains per
-- second of waiting); NULL: none. The columns hold what PATCH /api/v1/queues/NAME set, or the
-- config file's [queues.NAME] at start, which overrides it until changed again. The bucket itself
-- lives in the server's memory (one server owns the file) and starts full; aging ranks are
-- computed in memory when the index is rebuilt, so no job column is needed.
ALTER TABLE queues ADD COLUMN rate_jobs INTEGER;
ALTER TABLE queues ADD COLUMN rate_per_s REAL;
ALTER TABLE queues ADD COLUMN rate_burst INTEGER;
ALTER TABLE queues ADD COLUMN priority_aging_per_s REAL;
