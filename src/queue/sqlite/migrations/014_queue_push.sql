-- Corral embedded schema, version 14: push delivery set by API.
--
-- A queue's push delivery (push_url, push_concurrency, push_timeout_s; NULL: not pushed, or the
-- default concurrency or timeout). The columns hold what PATCH /api/v1/queues/NAME set, or the
-- config file's [queues.NAME] at start, which overrides it until changed again. The server's push
-- dispatcher follows them without a restart.
ALTER TABLE queues ADD COLUMN push_url TEXT;
ALTER TABLE queues ADD COLUMN push_concurrency INTEGER;
ALTER TABLE queues ADD COLUMN push_timeout_s REAL;
