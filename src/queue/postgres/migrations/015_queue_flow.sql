-- Corral PostgreSQL schema, version 15: rate limits and priority aging per queue.
--
-- A queue's rate limit (rate_jobs jobs per rate_per_s seconds, a token bucket holding rate_burst,
-- NULL: jobs) and priority aging (priority_aging_per_s, priority points a ready job gains per
-- second of waiting); NULL: none. Set by PATCH /api/v1/queues/NAME, or a node's config file
-- [queues.NAME] at its start.
--
-- The bucket is shared by every node: rate_tokens held at rate_refilled_at (microseconds since
-- the epoch, the database's clock), both written by the claim that takes tokens, under the
-- queue's claim lock (limited_claims.hpp). NULL: full.
--
-- Aging needs no column on corral_jobs: an aging queue gets a partial expression index of its own,
-- on its rank priority - rate * run_at (queue_flow_rows.cpp), made by the PATCH that sets the
-- rate, so queues without aging pay nothing. Older nodes leave the new columns alone; upgrade
-- every node before setting one (an older node would claim a rate-limited queue without limit).
ALTER TABLE corral_queues ADD COLUMN rate_jobs integer;
ALTER TABLE corral_queues ADD COLUMN rate_per_s double precision;
ALTER TABLE corral_queues ADD COLUMN rate_burst integer;
ALTER TABLE corral_queues ADD COLUMN rate_tokens double precision;
ALTER TABLE corral_queues ADD COLUMN rate_refilled_at bigint;
ALTER TABLE corral_queues ADD COLUMN priority_aging_per_s double precision;
