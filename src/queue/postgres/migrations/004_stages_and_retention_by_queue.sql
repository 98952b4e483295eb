-- Corral PostgreSQL schema, version 4: a job carries the stages its type declares and what the
-- estimate of its time left needs, and retention finds a queue's ended jobs by when they ended.
--
-- stages is the JSON array of queue/stored_json.hpp (NULL for a type without stages); the
-- estimate_* columns are the attempt's first progress sample that told a fraction and the end it
-- points to (core/progress_rules.hpp). Rows written before have none, and get them from the next
-- attempt or progress report.
--
-- corral_jobs_ended_by_queue serves retention, which runs queue by queue ([queues.NAME] may give
-- a queue its own retention): each pass reads only the jobs it deletes, and a queue that keeps its
-- jobs for ever holds up no other. Partial, so only a job's end and its deletion touch it: only
-- ended jobs have a completed_at.
--
-- Safe while older nodes still serve: they leave the new columns alone, so a job they change
-- keeps the stages and estimate it had (shown until its next attempt). Building the index holds
-- writes to corral_jobs for as long as it takes: upgrade a database of millions of ended jobs at
-- a quiet time.
ALTER TABLE corral_jobs ADD COLUMN stages text;
ALTER TABLE corral_jobs ADD COLUMN estimate_first_at bigint;
ALTER TABLE corral_jobs ADD COLUMN estimate_first_fraction double precision;
ALTER TABLE corral_jobs ADD COLUMN estimate_done_at bigint;

CREATE INDEX corral_jobs_ended_by_queue ON corral_jobs (queue, completed_at) WHERE completed_at IS NOT NULL;
