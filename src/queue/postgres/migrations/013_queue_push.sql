-- Corral PostgreSQL schema, version 13: push delivery set by API.
--
-- A queue's push delivery (push_url, push_concurrency, push_timeout_s; NULL: not pushed, or the
-- default concurrency or timeout). The columns hold what PATCH /api/v1/queues/NAME set, or a
-- node's config file [queues.NAME] at its start, which overrides it until changed again. Every
-- node's push dispatcher follows them: at once on the node that made the change, within its
-- refresh interval on the others. Older nodes leave the new columns alone (and push only what
-- their config file says: upgrade every node before setting one by API).
ALTER TABLE corral_queues ADD COLUMN push_url text;
ALTER TABLE corral_queues ADD COLUMN push_concurrency integer;
ALTER TABLE corral_queues ADD COLUMN push_timeout_s double precision;
