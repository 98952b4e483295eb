-- Corral embedded schema, version 5: a job carries the stages its type declares and what the
-- estimate of its time left needs, and retention finds a queue's ended jobs by when they ended.
--
-- stages is the JSON array of queue/stored_json.hpp (NULL for a type without stages); the
-- estimate_* columns are the attempt's first progress sample that told a fraction and the end it
-- points to (core/progress_rules.hpp). Rows written before have none, and get them from the next
-- attempt or progress report.
--
-- jobs_ended_by_queue serves retention, which runs queue by queue ([queues.NAME] may give a queue
-- its own retention): each pass reads only the jobs it deletes, and a queue that keeps its jobs
-- for ever holds up no other. Partial, so only a job's end and its deletion touch it: only ended
-- jobs have a completed_at. (Not `WHERE status IN (...)`: SQLite then builds a temporary table
-- for that list at every UPDATE of a job, which more than doubled the cost of a drain.)
ALTER TABLE jobs ADD COLUMN stages TEXT;
ALTER TABLE jobs ADD COLUMN estimate_first_at INTEGER;
ALTER TABLE jobs ADD COLUMN estimate_first_fraction REAL;
ALTER TABLE jobs ADD COLUMN estimate_done_at INTEGER;

CREATE INDEX jobs_ended_by_queue ON jobs (queue, status, completed_at) WHERE completed_at IS NOT NULL;
