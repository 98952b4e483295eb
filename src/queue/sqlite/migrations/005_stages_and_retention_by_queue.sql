-- Corral embedded schema, version 5: a job carries the stages its type declares and what the
-- estimate of its time left needs.
--
-- stages is the JSON array of queue/stored_json.hpp (NULL for a type without stages); the
-- estimate_* columns are the attempt's first progress sample that told a fraction and the end it
-- points to (core/progress_rules.hpp). Rows written before have none, and get them from the next
-- attempt or progress report.
--
-- Retention queue by queue ([queues.NAME]) reads an index of ended jobs by queue,
-- jobs_ended_by_queue, which the server makes at start when some queue has its own retention and
-- drops otherwise (JobStore::job_index_ended_by_queue): each job's end adds an entry to it, a
-- cost only the servers that use it should pay.
ALTER TABLE jobs ADD COLUMN stages TEXT;
ALTER TABLE jobs ADD COLUMN estimate_first_at INTEGER;
ALTER TABLE jobs ADD COLUMN estimate_first_fraction REAL;
ALTER TABLE jobs ADD COLUMN estimate_done_at INTEGER;
